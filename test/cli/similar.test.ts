import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePhoto, makeTallScreenshot, nearBlankPage, PHONE_EXIF, repost } from '../support/photos.js';
import { REPO_ROOT, runCustos, runCustosJson } from '../support/run-custos.js';
import { makeTempStore, type TempStore } from '../support/temp-store.js';
import { CLI_TEST_TIMEOUT_MS, type ItemsJson } from './cli-fixtures.js';

interface SimilarJson {
  item: {
    id: string;
    status: string;
    error: string | null;
    images: { sha256: string; role: string; phash: string }[];
  };
  maxDistance: number;
  items: {
    id: string;
    caseId: string;
    caseNumber: string;
    kind: string;
    title: string | null;
    source: string;
    capturedAt: string;
    distance: number;
    image: { sha256: string; role: string };
    matches: { sha256: string; role: string };
  }[];
}

interface GroupsJson {
  groups: {
    caseNumbers: string[];
    items: { id: string; caseNumber: string; distance: number; image: { sha256: string } }[];
  }[];
}

let temp: TempStore;
const ids: Record<string, string> = {};

async function importInto(caseNumber: string, name: string, bytes: Buffer | null, env = {}) {
  const file = bytes ? temp.writeFile(name, bytes) : path.join(temp.base, name);
  const result = await runCustosJson<ItemsJson>(['import', file, '--case', caseNumber], {
    store: temp.dir,
    env,
  });
  expect(result.status, result.stderr).toBe(0);
  ids[name] = result.json.items[0]!.id;
  return result;
}

beforeAll(async () => {
  temp = makeTempStore({ caseNumber: 'BE-1' });
  const created = await runCustos(['case', 'create', '--number', 'IT-2', '--title', 'Libya'], {
    store: temp.dir,
  });
  expect(created.status, created.stderr).toBe(0);
  const boat = await makePhoto(1, { exif: PHONE_EXIF });
  await importInto('BE-1', 'boat.jpg', boat);
  await importInto('BE-1', 'dinghy.jpg', await makePhoto(7));
  await importInto('IT-2', 'boat-repost.jpg', await repost(boat));
  // Blank and near-blank page screenshots, which hash alike whatever they say.
  await importInto('BE-1', 'blank.png', await nearBlankPage([]));
  await importInto('BE-1', 'slow-page.png', await nearBlankPage(['Slow page, loaded after three seconds']));
  await importInto('IT-2', 'latin1-page.png', await nearBlankPage(['Café à la crème', 'Deuxième ligne']));
}, CLI_TEST_TIMEOUT_MS);

afterAll(() => temp?.remove());

describe('custos similar', () => {
  it(
    'lists the near-duplicates of an item across cases with their distance (--json)',
    async () => {
      const result = await runCustosJson<SimilarJson>(['similar', ids['boat.jpg']!.slice(0, 8)], {
        store: temp.dir,
      });
      expect(result.status, result.stderr).toBe(0);
      expect(result.json.item).toMatchObject({ id: ids['boat.jpg'], status: 'hashed', error: null });
      expect(result.json.item.images).toEqual([
        {
          sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
          role: 'original',
          phash: expect.stringMatching(/^[0-9a-f]{16}$/),
        },
      ]);
      expect(result.json.maxDistance).toBe(10);
      expect(result.json.items).toEqual([
        {
          id: ids['boat-repost.jpg'],
          caseId: expect.any(String),
          caseNumber: 'IT-2',
          kind: 'import',
          title: 'boat-repost.jpg',
          source: 'boat-repost.jpg',
          capturedAt: expect.any(String),
          distance: expect.any(Number),
          image: { sha256: expect.any(String), role: 'original' },
          matches: { sha256: result.json.item.images[0]!.sha256, role: 'original' },
        },
      ]);
      expect(result.json.items[0]!.distance).toBeLessThanOrEqual(10);

      const human = await runCustos(['similar', ids['boat.jpg']!], { store: temp.dir });
      expect(human.stdout).toMatch(/DISTANCE\s+CASE\s+ITEM/);
      expect(human.stdout).toContain('IT-2');
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'does not group blank and near-blank pages with each other (`custos similar --groups`)',
    async () => {
      const all = await runCustosJson<GroupsJson>(['similar', '--groups'], { store: temp.dir });
      expect(all.status, all.stderr).toBe(0);
      const grouped = all.json.groups.flatMap((g) => g.items.map((i) => i.id));
      for (const name of ['blank.png', 'slow-page.png', 'latin1-page.png'])
        expect(grouped).not.toContain(ids[name]);
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'lists the groups of near-duplicates, in all cases or those touching one case',
    async () => {
      const all = await runCustosJson<GroupsJson>(['similar', '--groups'], { store: temp.dir });
      expect(all.status, all.stderr).toBe(0);
      expect(all.json.groups).toHaveLength(1);
      expect(all.json.groups[0]!.caseNumbers).toEqual(['BE-1', 'IT-2']);
      expect(all.json.groups[0]!.items.map((i) => i.id).sort()).toEqual(
        [ids['boat.jpg'], ids['boat-repost.jpg']].sort(),
      );
      const human = await runCustos(['similar', '--groups', '--case', 'IT-2'], { store: temp.dir });
      expect(human.status, human.stderr).toBe(0);
      expect(human.stdout).toContain('Group 1: 2 items across cases BE-1, IT-2');
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'exits 2 for an unknown item or case and for a wrong mix of arguments, writing nothing',
    async () => {
      const runs = [
        ['similar', 'deadbeef-0000'],
        ['similar', '--groups', '--case', 'XX-9'],
        ['similar'],
        ['similar', ids['boat.jpg']!, '--groups'],
        ['similar', ids['boat.jpg']!, '--case', 'BE-1'],
      ];
      for (const args of runs) {
        const result = await runCustos(args, { store: temp.dir });
        expect(result.status, `${args.join(' ')}: ${result.stderr}`).toBe(2);
        expect(result.stderr).toMatch(/not found|either an item|name an item|--case goes with --groups/);
      }
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'custos reindex rebuilds the hashes from the originals, and the store audits clean',
    async () => {
      const before = await runCustosJson<SimilarJson>(['similar', ids['boat.jpg']!], { store: temp.dir });
      const reindex = await runCustosJson<{ derived: number; failed: number }>(['reindex'], {
        store: temp.dir,
      });
      expect(reindex.status, reindex.stderr).toBe(0);
      expect(reindex.json.failed).toBe(0);
      expect(reindex.json.derived).toBeGreaterThanOrEqual(3);
      const after = await runCustosJson<SimilarJson>(['similar', ids['boat.jpg']!], { store: temp.dir });
      expect(after.json).toEqual(before.json);
      const audit = await runCustos(['audit'], { store: temp.dir });
      expect(audit.status, audit.stdout + audit.stderr).toBe(0);
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'hashes a 40,000 px tall screenshot from a bounded rendition, never holding the decoded page in memory',
    async () => {
      await makeTallScreenshot(path.join(temp.base, 'tall.png'), 40_000);
      const preload = path.join(REPO_ROOT, 'test', 'support', 'report-max-rss.mjs');
      const imported = await importInto('BE-1', 'tall.png', null, {
        NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${preload}`.trim(),
      });
      const maxRssKib = Number(/custos-test-max-rss-kib (\d+)/.exec(imported.stderr)?.[1]);
      expect(maxRssKib).toBeGreaterThan(0);
      // The decoded page alone is 1280 × 40,000 × 3 bytes = 154 MB; the whole import with its hashing stays well under
      // what holding it would cost on top of the process's own ~130 MB.
      expect(maxRssKib * 1024).toBeLessThan(230 * 1024 * 1024);
      const similar = await runCustosJson<SimilarJson>(['similar', ids['tall.png']!], { store: temp.dir });
      expect(similar.json.item.images).toHaveLength(1);
      fs.rmSync(path.join(temp.base, 'tall.png'));
    },
    CLI_TEST_TIMEOUT_MS,
  );
});
