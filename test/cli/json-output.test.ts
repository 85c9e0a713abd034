import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../shared/domain.js';
import { runCustos, runCustosJson } from '../support/run-custos.js';
import { makeTempStore, TEST_INVESTIGATOR, type TempStore } from '../support/temp-store.js';
import { CLI_TEST_TIMEOUT_MS, type ItemJson, type ItemsJson } from './cli-fixtures.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

interface CaseJson {
  readonly id: string;
  readonly number: string;
  readonly title: string;
  readonly itemCount?: number;
}

/** Checks an item against the contract: `{"id", "url", "digest", "artifacts": [{"role", "mediaType", "size", "sha256"}]}`. */
function expectContractItem(item: ItemJson): void {
  expect(item.id).toMatch(UUID);
  expect(item).toHaveProperty('url');
  expect(item.digest).toMatch(SHA256_HEX);
  expect(item.artifacts.length).toBeGreaterThan(0);
  for (const artifact of item.artifacts) {
    expect(typeof artifact.role).toBe('string');
    expect(artifact.mediaType).toMatch(/^[a-z]+\/[a-z0-9.+-]+$/);
    expect(Number.isInteger(artifact.size)).toBe(true);
    expect(artifact.sha256).toMatch(SHA256_HEX);
  }
}

describe(
  'custos --json',
  () => {
    let temp: TempStore;
    let caseId: string;
    let imported: ItemsJson;
    let importStderr: string;

    beforeAll(async () => {
      temp = makeTempStore();
      const created = await runCustosJson<{ id: string }>(
        ['case', 'create', '--number', 'BE-2026-0142', '--title', 'Boat crossings advertised on Facebook'],
        { store: temp.dir },
      );
      expect(created.status).toBe(0);
      caseId = created.json.id;
      const files = [
        temp.writeFile('chat.txt', 'meet at the harbour at 02:00\n'),
        temp.writeFile('ad.html', '<!doctype html><p>Boat, 3 seats</p>'),
      ];
      const result = await runCustosJson<ItemsJson>(['import', ...files, '--case', 'BE-2026-0142'], {
        store: temp.dir,
      });
      expect(result.status, result.stderr).toBe(0);
      imported = result.json;
      importStderr = result.stderr;
    }, CLI_TEST_TIMEOUT_MS);
    afterAll(() => temp.remove());

    it('case create prints {"id": …}', () => {
      expect(caseId).toMatch(UUID);
    });

    it('case show finds a case by its id and by its number, with the same JSON', async () => {
      const byId = await runCustosJson<CaseJson>(['case', 'show', caseId], { store: temp.dir });
      const byNumber = await runCustosJson<CaseJson>(['case', 'show', 'BE-2026-0142'], { store: temp.dir });
      expect(byId.status).toBe(0);
      expect(byNumber.status).toBe(0);
      expect(byId.json).toEqual(byNumber.json);
      expect(byId.json).toMatchObject({
        id: caseId,
        number: 'BE-2026-0142',
        title: 'Boat crossings advertised on Facebook',
        itemCount: 2,
      });
    });

    it('case list prints {"cases": […]} with each case and its item count', async () => {
      const result = await runCustosJson<{ cases: CaseJson[] }>(['case', 'list'], { store: temp.dir });
      expect(result.status).toBe(0);
      expect(result.json.cases).toEqual([
        expect.objectContaining({ id: caseId, number: 'BE-2026-0142', itemCount: 2 }),
      ]);
    });

    it('import prints {"items": […]} in the contract shape, one item per file, and nothing on stderr', () => {
      expect(imported.items).toHaveLength(2);
      for (const item of imported.items) expectContractItem(item);
      expect(imported.items.map((item) => item.artifacts.map((a) => a.role))).toEqual([
        ['original'],
        ['original'],
      ]);
      expect(imported.items.map((item) => item.artifacts[0]?.mediaType)).toEqual(['text/plain', 'text/html']);
      expect(imported.items[0]?.artifacts[0]?.size).toBe('meet at the harbour at 02:00\n'.length);
      expect(importStderr).toBe('');
    });

    it('items prints the same items as import did, in the same shape, each naming who captured it', async () => {
      const result = await runCustosJson<ItemsJson>(['items', '--case', caseId], { store: temp.dir });
      expect(result.status).toBe(0);
      expect(result.json.items).toEqual(
        imported.items.map((item) => ({
          ...item,
          capturedBy: {
            name: TEST_INVESTIGATOR.name,
            keyFingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
          },
        })),
      );
    });

    it('item show prints the item with its record and custody, and also as {"items": [one]}', async () => {
      const first = imported.items[0]!;
      const result = await runCustosJson<
        ItemJson & { record: Record<string, unknown>; custody: LedgerEntry[]; items: ItemJson[] }
      >(['item', 'show', first.id], { store: temp.dir });
      expect(result.status).toBe(0);
      expectContractItem(result.json);
      expect(result.json).toMatchObject({ id: first.id, digest: first.digest, artifacts: first.artifacts });
      expect(result.json.record).toMatchObject({ itemId: first.id, caseId, kind: 'import' });
      expect(result.json.custody.map((entry) => entry.action)).toEqual(['item.import']);
      expect(result.json.items).toEqual([expect.objectContaining({ id: first.id, digest: first.digest })]);
    });

    it('item show finds an item by the first 8 characters of its id', async () => {
      const first = imported.items[0]!;
      const result = await runCustosJson<ItemJson>(['item', 'show', first.id.slice(0, 8)], {
        store: temp.dir,
      });
      expect(result.status).toBe(0);
      expect(result.json.id).toBe(first.id);
    });

    it('log prints {"entries": […]}, hash-chained, one entry per action', async () => {
      const result = await runCustosJson<{ entries: LedgerEntry[] }>(['log'], { store: temp.dir });
      expect(result.status).toBe(0);
      const { entries } = result.json;
      expect(entries.map((e) => e.action)).toEqual([
        'store.init',
        'case.create',
        'item.import',
        'item.import',
      ]);
      entries.forEach((entry, index) => {
        expect(entry.seq).toBe(index + 1);
        expect(entry.hash).toMatch(SHA256_HEX);
        expect(entry.prevHash).toBe(index === 0 ? '0'.repeat(64) : entries[index - 1]?.hash);
        expect(Buffer.from(entry.signature, 'base64')).toHaveLength(64);
      });
      const ofCase = await runCustosJson<{ entries: LedgerEntry[] }>(['log', '--case', 'BE-2026-0142'], {
        store: temp.dir,
      });
      expect(ofCase.json.entries.map((e) => e.action)).toEqual(['case.create', 'item.import', 'item.import']);
    });

    it('note and tag print the custody entry they appended', async () => {
      const first = imported.items[0]!;
      const note = await runCustosJson<{ itemId: string; seq: number }>(
        ['note', first.id, 'same phone number as the ad'],
        { store: temp.dir },
      );
      const tag = await runCustosJson<{ itemId: string; seq: number }>(['tag', first.id, 'harbour'], {
        store: temp.dir,
      });
      expect(note.status).toBe(0);
      expect(tag.status).toBe(0);
      expect(note.json.itemId).toBe(first.id);
      expect(tag.json.seq).toBe(note.json.seq + 1);
      const items = await runCustosJson<{ items: { id: string; tags: string[] }[] }>(
        ['items', '--case', caseId],
        { store: temp.dir },
      );
      expect(items.json.items.find((item) => item.id === first.id)?.tags).toEqual(['harbour']);
    });

    it('audit prints a clean report with its counts', async () => {
      const result = await runCustosJson<{
        clean: boolean;
        counts: Record<string, number>;
        problems: unknown[];
      }>(['audit'], {
        store: temp.dir,
      });
      expect(result.status).toBe(0);
      expect(result.json.clean).toBe(true);
      expect(result.json.problems).toEqual([]);
      expect(result.json.counts).toMatchObject({ items: 2, artifacts: 2, blobs: 2 });
    });

    it('without --json, import tells the person on stderr and prints a table on stdout', async () => {
      const file = temp.writeFile('later.txt', 'a later file\n');
      const result = await runCustos(['import', file, '--case', 'BE-2026-0142'], { store: temp.dir });
      expect(result.status).toBe(0);
      expect(result.stderr).toMatch(/^imported .*later\.txt → item [0-9a-f-]{36} sha256 [0-9a-f]{64}$/m);
      expect(result.stdout).toMatch(/^ID\s+CAPTURED \(UTC\)/);
      expect(() => JSON.parse(result.stdout)).toThrow();
    });
  },
  CLI_TEST_TIMEOUT_MS,
);
