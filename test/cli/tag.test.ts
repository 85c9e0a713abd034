import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCustos, runCustosJson } from '../support/run-custos.js';
import { makeTempStore, type TempStore } from '../support/temp-store.js';
import { CLI_TEST_TIMEOUT_MS, type ItemsJson } from './cli-fixtures.js';

describe('custos tag ITEM TAG --remove', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  let temp: TempStore;
  let id: string;
  beforeAll(async () => {
    temp = makeTempStore({ caseNumber: 'TG-1' });
    const imported = await runCustosJson<ItemsJson>(
      ['import', temp.writeFile('ad.txt', 'crossing 3000 EUR'), '--case', 'TG-1'],
      { store: temp.dir },
    );
    expect(imported.status, imported.stderr).toBe(0);
    id = imported.json.items[0]?.id ?? '';
  }, CLI_TEST_TIMEOUT_MS);
  afterAll(() => temp?.remove());

  const custos = (...args: string[]) => runCustos(args, { store: temp.dir });

  it('removes the tag, records item.untag in the log, and the log keeps the tag given before', async () => {
    expect((await custos('tag', id, 'payment')).status).toBe(0);
    const removed = await custos('tag', id, 'payment', '--remove');
    expect(removed.status, removed.stderr).toBe(0);
    expect(removed.stdout).toContain(`Removed tag payment from item ${id}`);
    const shown = await runCustosJson<{ tags: string[] }>(['item', 'show', id], { store: temp.dir });
    expect(shown.json.tags).toEqual([]);
    const log = await runCustosJson<{ entries: { action: string; details: { tag?: string } }[] }>(
      ['log', '--case', 'TG-1'],
      { store: temp.dir },
    );
    const tagEntries = log.json.entries.filter((e) => e.details.tag === 'payment');
    expect(tagEntries.map((e) => e.action)).toEqual(['item.tag', 'item.untag']);
    expect((await custos('audit')).status).toBe(0);
  });

  it('removing a tag the item does not have exits 2, names its tags and writes nothing', async () => {
    await custos('tag', id, 'boat');
    const before = (await custos('log', '--case', 'TG-1')).stdout;
    const refused = await custos('tag', id, 'nothing-like-it', '--remove');
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('has no tag "nothing-like-it" (its tags: boat)');
    expect((await custos('log', '--case', 'TG-1')).stdout).toBe(before);
  });
});
