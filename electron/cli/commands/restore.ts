import type { Command } from 'commander';
import { outputFor, sayInterruptedRestore, storeDirFor } from '../context.js';

/** `custos restore --from BACKUP [--accept-loss]` */
export function registerRestore(program: Command): void {
  program
    .command('restore')
    .description(
      "put a backup of the store's database back, after checking it against the store's anchor (store.json); the restore is a custody entry",
    )
    .requiredOption('--from <backup>', 'a copy of the store folder, or of its custos.sqlite')
    .option(
      '--accept-loss',
      'restore a backup older than the database in place (or, when that cannot be read, than the anchor); the entries after it are lost, and the ledger says so',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  custos restore --from /mnt/backup/custos-store\n  custos restore --from /mnt/backup/custos.sqlite --accept-loss',
    )
    .action(async function (this: Command, options: { from: string; acceptLoss?: boolean }) {
      const out = outputFor(this);
      const { restoreStore } = await import('../../core/store/restore-store.js');
      const outcome = await restoreStore(storeDirFor(this), options.from, {
        acceptLoss: options.acceptLoss,
        onInterruptedRestore: sayInterruptedRestore(out),
      });
      if (out.json) return out.result(outcome);
      const reference = outcome.live
        ? `the database in place held ${outcome.live.count}, store.json recorded ${outcome.anchoredEntries}`
        : `store.json recorded ${outcome.anchoredEntries}`;
      out.line(
        `Restored ${outcome.backupEntries} custody entries (${reference}${outcome.lostEntries > 0 ? `; ${outcome.lostEntries} lost` : ''}); recorded as custody entry ${outcome.entrySeq}.`,
      );
      if (outcome.unchecked) out.line(`Not checked: ${outcome.unchecked}.`);
      if (outcome.liveNotUsed)
        out.line(`The backup was checked against store.json only: ${outcome.liveNotUsed}.`);
      if (outcome.setAside) out.line(`The database that was in place is kept as ${outcome.setAside}.`);
      out.line('Run `custos audit` to check the blobs against the restored database.');
    });
}
