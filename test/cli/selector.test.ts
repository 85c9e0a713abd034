/** `custos selector`: identifiers and words an investigator is told about when new evidence holds them. */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Selector, SelectorHit } from '../../shared/selectors.js';
import { runCustos, runCustosJson } from '../support/run-custos.js';
import { makeTempStore, type TempStore } from '../support/temp-store.js';
import { CLI_TEST_TIMEOUT_MS } from './cli-fixtures.js';

const AD = `Trips to Lampedusa every Friday.
Contact +218 91 234 5678 or Telegram t.me/Zuwara_Trips
`;

let temp: TempStore;
let importStderr: string;
let itemId: string;

beforeAll(async () => {
  temp = makeTempStore({ caseNumber: 'LY-1' });
  for (const args of [
    ['selector', 'add', '+218 91 234 5678', '--label', 'broker', '--case', 'LY-1'],
    ['selector', 'add', 'https://t.me/zuwara_trips'],
    ['selector', 'add', 'every friday'],
    ['selector', 'add', 'nowhere-to-be-found'],
  ]) {
    const added = await runCustos(args, { store: temp.dir });
    expect(added.status, added.stderr).toBe(0);
  }
  const imported = await runCustosJson<{ items: { id: string }[] }>(
    ['import', temp.writeFile('ad.txt', AD), '--case', 'LY-1'],
    { store: temp.dir },
  );
  expect(imported.status, imported.stderr).toBe(0);
  importStderr = imported.stderr;
  itemId = imported.json.items[0]!.id;
}, CLI_TEST_TIMEOUT_MS);

afterAll(() => temp?.remove());

describe('custos selector', () => {
  it('says which selectors a new import holds, as soon as it is imported', () => {
    expect(importStderr).toContain('selector hit: +218912345678 (broker) as +218 91 234 5678');
    expect(importStderr).toContain('selector hit: @zuwara_trips');
    expect(importStderr).toContain('selector hit: every friday');
    expect(importStderr).not.toContain('nowhere');
  });

  it('lists the hits, normalised values matched like entities and words through the index', async () => {
    const result = await runCustosJson<{ hits: SelectorHit[] }>(['selector', 'hits', '--case', 'LY-1'], {
      store: temp.dir,
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.json.hits.map((h) => `${h.match} ${h.selector.value} ${h.itemId}`).sort()).toEqual(
      [
        `entity +218912345678 ${itemId}`,
        `entity @zuwara_trips ${itemId}`,
        `word every friday ${itemId}`,
      ].sort(),
    );
  });

  it('records each add and remove in the custody log, and a removed selector no longer hits but is kept', async () => {
    const removed = await runCustos(['selector', 'remove', '00218912345678'], { store: temp.dir });
    expect(removed.status, removed.stderr).toBe(0);
    const log = await runCustosJson<{ entries: { action: string }[] }>(['log'], { store: temp.dir });
    const actions = log.json.entries.map((e) => e.action).filter((a) => a.startsWith('selector.'));
    expect(actions).toEqual([
      'selector.add',
      'selector.add',
      'selector.add',
      'selector.add',
      'selector.remove',
    ]);
    const hits = await runCustosJson<{ hits: SelectorHit[] }>(['selector', 'hits'], { store: temp.dir });
    expect(hits.json.hits.map((h) => h.selector.value)).not.toContain('+218912345678');
    const all = await runCustosJson<{ selectors: Selector[] }>(['selector', 'list', '--removed'], {
      store: temp.dir,
    });
    expect(all.json.selectors.find((s) => s.value === '+218912345678')?.removedAt).toEqual(
      expect.any(String),
    );
  });

  it('refuses an empty or repeated selector with exit 2, writing nothing', async () => {
    const before = await runCustosJson<{ entries: unknown[] }>(['log'], { store: temp.dir });
    const empty = await runCustos(['selector', 'add', '  '], { store: temp.dir });
    expect(empty.status).toBe(2);
    expect(empty.stderr).toMatch(/needs a value/);
    const again = await runCustos(['selector', 'add', '@Zuwara_Trips'], { store: temp.dir });
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/already a selector/);
    const after = await runCustosJson<{ entries: unknown[] }>(['log'], { store: temp.dir });
    expect(after.json.entries.length).toBe(before.json.entries.length);
  });

  it(
    'says which selectors a received bundle holds, once its items are indexed',
    async () => {
      const bundle = path.join(temp.base, 'LY-1.zip');
      const exported = await runCustos(['export', '--case', 'LY-1', '--out', bundle], { store: temp.dir });
      expect(exported.status, exported.stderr).toBe(0);
      const receiver = makeTempStore({ investigator: { name: 'Paula Fiscal' } });
      try {
        const added = await runCustos(['selector', 'add', 't.me/zuwara_trips', '--label', 'boat channel'], {
          store: receiver.dir,
        });
        expect(added.status, added.stderr).toBe(0);
        const received = await runCustos(['receive', bundle], { store: receiver.dir });
        expect(received.status, received.stderr).toBe(0);
        expect(received.stderr).toContain(
          `selector hit: @zuwara_trips (boat channel) as t.me/Zuwara_Trips in item ${itemId}`,
        );
      } finally {
        receiver.remove();
      }
    },
    CLI_TEST_TIMEOUT_MS,
  );
});
