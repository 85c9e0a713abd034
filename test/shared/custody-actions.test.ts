import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CUSTODY_ACTION_NAMES, custodyActionName } from '../../shared/custody-actions.js';
import { REPO_ROOT } from '../support/run-custos.js';

/** Every `action: '…'` literal the core writes into the ledger. */
function recordedActions(dir: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...recordedActions(file));
    else if (entry.name.endsWith('.ts'))
      for (const m of fs.readFileSync(file, 'utf8').matchAll(/\baction: '([a-z]+\.[a-z-]+)'/g))
        found.push(m[1] ?? '');
  }
  return found;
}

describe('custody action names', () => {
  it('names every action the core records, and the items’ own (capture, import, note, tag, untag)', () => {
    const actions = new Set([
      ...recordedActions(path.join(REPO_ROOT, 'electron', 'core')),
      ...['capture', 'import', 'note', 'tag', 'untag'].map((kind) => `item.${kind}`),
    ]);
    for (const action of actions) expect(CUSTODY_ACTION_NAMES[action], action).toBeTruthy();
    expect(custodyActionName('watch.add')).toBe('Watch started');
  });

  it('shows an action it does not know as recorded', () => {
    expect(custodyActionName('future.thing')).toBe('future.thing');
  });
});
