import type { SettledRestore } from './restore-pending.js';

/**
 * What a writer's open says when it settled a `custos restore` killed before it was recorded
 * (restore-pending.ts): the command prints it on stderr, the app shows it in the window. Apart
 * from restore-pending.ts so that the command's start loads no database code for it.
 */
export function interruptedRestoreNote(settled: SettledRestore): string {
  if (settled.outcome === 'finished')
    return `a \`custos restore\` was killed after it put the backup in place and before it recorded that; it is now recorded, as custody entry ${settled.entrySeq} (store.restore, interrupted)`;
  if (settled.outcome === 'undone')
    return 'a `custos restore` was killed before it put the backup in place; it was undone, and the database in place is the one that was there';
  return 'a `custos restore` was killed after it was recorded; its leftover marker (restore-pending.json) was removed';
}
