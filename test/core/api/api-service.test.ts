import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ApiService, createApiService } from '../../../electron/core/api/api-service.js';
import type { ApiProgress, ApiResult, BatchOutcome, ItemPage, SearchPage } from '../../../shared/api.js';
import { apiForStore } from '../../support/api-for-store.js';
import { makeTempDir, makeTempStore, removeTempDir, type TempStore } from '../../support/temp-store.js';

function value<T>(result: ApiResult<unknown>): T {
  if (!result.ok) throw new Error(`expected a value, got ${result.error.kind}: ${result.error.message}`);
  return result.value as T;
}

describe('API service on a new workstation', () => {
  let dir: string;
  let api: ApiService;
  beforeEach(() => {
    dir = makeTempDir();
    api = createApiService({ storeDir: path.join(dir, 'store'), exportDir: path.join(dir, 'exports') });
  });
  afterEach(() => {
    api.close();
    removeTempDir(dir);
  });

  it('reports no profile before the first run, and creates the store with the profile', async () => {
    expect(await api.call('getProfile', {})).toEqual({ ok: true, value: null });
    expect(fs.existsSync(path.join(dir, 'store'))).toBe(false);
    const made = value<{ name: string; keyFingerprint: string }>(
      await api.call('initProfile', { name: 'Ana Ruiz', agency: 'Unit 3' }),
    );
    expect(made.name).toBe('Ana Ruiz');
    expect(made.keyFingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(value<{ name: string }>(await api.call('getProfile', {})).name).toBe('Ana Ruiz');
  });

  it('refuses input that does not match the schema, names the problem, and writes nothing', async () => {
    const result = await api.call('initProfile', { name: '   ' });
    expect(result).toEqual({
      ok: false,
      error: { kind: 'bad-input', message: 'investigator name must not be empty' },
    });
    expect(fs.existsSync(path.join(dir, 'store'))).toBe(false);
  });

  it('refuses a method it does not have', async () => {
    const result = await api.call('deleteEverything', {});
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toEqual({
      kind: 'bad-input',
      message: 'there is no API method named "deleteEverything"',
    });
  });
});

describe('API service on a store with evidence', () => {
  let temp: TempStore;
  let api: ApiService;
  beforeEach(() => {
    temp = makeTempStore({ caseNumber: 'BE-1' });
    api = createApiService({ storeDir: temp.dir, exportDir: path.join(temp.base, 'exports') });
  });
  afterEach(() => {
    api.close();
    temp.remove();
  });

  async function importNumbered(count: number): Promise<BatchOutcome> {
    const paths = Array.from({ length: count }, (_, i) =>
      temp.writeFile(`files/evidence-${String(i).padStart(3, '0')}.txt`, `evidence ${i}\n`),
    );
    return value<BatchOutcome>(await api.call('importFiles', { caseRef: 'BE-1', paths }));
  }

  it('refuses a case number with a space and leaves the case list as it was', async () => {
    const result = await api.call('createCase', { number: 'BE 2', title: 'x' });
    expect(!result.ok && result.error.kind).toBe('bad-input');
    expect(!result.ok && result.error.message).toContain('must not contain spaces or backslashes');
    expect(value<unknown[]>(await api.call('listCases', {}))).toHaveLength(1);
  });

  it('lists cases with their item counts', async () => {
    await importNumbered(3);
    const cases = value<{ number: string; itemCount: number }[]>(await api.call('listCases', {}));
    expect(cases.map((c) => [c.number, c.itemCount])).toEqual([['BE-1', 3]]);
  });

  it('pages through items in the order asked, with the total of the filter', async () => {
    await importNumbered(25);
    const first = value<ItemPage>(
      await api.call('queryItems', { caseRef: 'BE-1', offset: 0, limit: 10, sort: 'title' }),
    );
    expect(first.total).toBe(25);
    expect(first.rows.map((r) => r.title)).toEqual(
      Array.from({ length: 10 }, (_, i) => `evidence-${String(i).padStart(3, '0')}.txt`),
    );
    const last = value<ItemPage>(
      await api.call('queryItems', {
        caseRef: 'BE-1',
        offset: 20,
        limit: 10,
        sort: 'title',
        descending: true,
      }),
    );
    expect(last.rows.map((r) => r.title)).toEqual(
      Array.from({ length: 5 }, (_, i) => `evidence-${String(4 - i).padStart(3, '0')}.txt`),
    );
  });

  it('searches titles, notes and digest prefixes, and filters by tag and kind', async () => {
    const { items } = await importNumbered(5);
    const [a, b] = items;
    if (!a || !b) throw new Error('two items expected');
    value(await api.call('addNote', { itemId: a.id, text: 'seller phone 555 0100' }));
    value(await api.call('addTag', { itemId: b.id, tag: 'قارب' }));
    const search = async (input: Record<string, unknown>) =>
      value<ItemPage>(await api.call('queryItems', { caseRef: 'BE-1', ...input })).rows.map((r) => r.id);
    expect(await search({ search: '555 0100' })).toEqual([a.id]);
    expect(await search({ search: b.digest.slice(0, 12) })).toEqual([b.id]);
    expect(await search({ search: 'evidence-004' })).toHaveLength(1);
    expect(await search({ search: '100%' })).toEqual([]);
    expect(await search({ tag: 'قارب' })).toEqual([b.id]);
    expect(await search({ kind: 'capture' })).toEqual([]);
    expect(value<string[]>(await api.call('listCaseTags', { caseRef: 'BE-1' }))).toEqual(['قارب']);
    const row = value<ItemPage>(await api.call('queryItems', { caseRef: 'BE-1', tag: 'قارب' })).rows[0];
    // Queued for a trusted timestamp at import, as through the CLI (no authority is configured here).
    expect(row).toMatchObject({ kind: 'import', tags: ['قارب'], timestamp: 'pending', hasImage: false });
  });

  it('searches the full-text index: list rows carry a marked snippet, searchItems ranks hits across cases, paged', async () => {
    const paths = [
      temp.writeFile('ads/ar.txt', 'رِحْلَاتٌ مَضْمُونَةٌ إِلَى إِيطَالِيَا، السعر ٣٥٠٠ دولار'),
      temp.writeFile('ads/it.txt', 'Viaggio sicuro per Lampedusa, prezzo 3.000 €'),
    ];
    const { items } = value<BatchOutcome>(await api.call('importFiles', { caseRef: 'BE-1', paths }));
    value(await api.call('createCase', { number: 'BE-2', title: 'Other' }));
    const other = temp.writeFile('ads/other.txt', 'Lampedusa, partenza ogni settimana');
    const [otherItem] = value<BatchOutcome>(
      await api.call('importFiles', { caseRef: 'BE-2', paths: [other] }),
    ).items;

    const page = value<ItemPage>(await api.call('queryItems', { caseRef: 'BE-1', search: 'رحلات ايطاليا' }));
    expect(page.rows.map((r) => r.id)).toEqual([items[0]?.id]);
    const snippet = page.rows[0]?.snippet;
    expect(snippet?.marks.map(([s, e]) => snippet.text.slice(s, e))).toEqual(['رِحْلَاتٌ', 'إِيطَالِيَا']);

    const all = value<SearchPage>(await api.call('searchItems', { query: 'lampedusa' }));
    expect(all.total).toBe(2);
    expect(all.hits.map((h) => h.id).sort()).toEqual([items[1]?.id, otherItem?.id].sort());
    expect(all.hits.map((h) => h.rank)).toEqual([1, 2]);
    const second = value<SearchPage>(
      await api.call('searchItems', { query: 'lampedusa', offset: 1, limit: 1 }),
    );
    expect(second.hits.map((h) => h.id)).toEqual([all.hits[1]?.id]);
    const inCase = value<SearchPage>(await api.call('searchItems', { query: 'lampedusa', caseRef: 'BE-2' }));
    expect(inCase.hits).toMatchObject([{ id: otherItem?.id, caseNumber: 'BE-2' }]);

    const bad = await api.call('searchItems', { query: '"' });
    expect(!bad.ok && bad.error.kind).toBe('bad-input');
    const unknownCase = await api.call('searchItems', { query: 'lampedusa', caseRef: 'NOPE' });
    expect(!unknownCase.ok && unknownCase.error.kind).toBe('bad-input');
  });

  it('reports import progress per file, and a cancel stops before the next file with nothing half-stored', async () => {
    const paths = Array.from({ length: 4 }, (_, i) => temp.writeFile(`c/${i}.txt`, `file ${i}\n`));
    const controller = new AbortController();
    const seen: ApiProgress[] = [];
    const outcome = value<BatchOutcome>(
      await api.call(
        'importFiles',
        { caseRef: 'BE-1', paths },
        {
          signal: controller.signal,
          onProgress: (p) => {
            seen.push(p);
            if (p.done === 2) controller.abort();
          },
        },
      ),
    );
    expect(seen.map((p) => [p.done, p.total, p.subject])).toEqual([
      [0, 4, paths[0]],
      [1, 4, paths[1]],
      [2, 4, paths[2]],
    ]);
    expect(outcome.cancelled).toBe(true);
    expect(outcome.items).toHaveLength(2);
    expect(value<ItemPage>(await api.call('queryItems', { caseRef: 'BE-1' })).total).toBe(2);
  });

  it('names a file that cannot be imported and imports the others', async () => {
    const good = temp.writeFile('good.txt', 'ok\n');
    const outcome = value<BatchOutcome>(
      await api.call('importFiles', { caseRef: 'BE-1', paths: [path.join(temp.base, 'missing.txt'), good] }),
    );
    expect(outcome.items.map((i) => i.source)).toEqual(['good.txt']);
    expect(outcome.failures).toEqual([
      { subject: path.join(temp.base, 'missing.txt'), message: expect.stringContaining('no such file') },
    ]);
  });

  it('names malformed lines of a batch capture with their reason, and starts no browser when no line is good', async () => {
    // A stand-in browser provider that only counts launches: no line here may reach a browser.
    let launches = 0;
    const counting = apiForStore(temp, {
      browser: {
        setup: { executable: 'none', headless: true, extraArgs: [] },
        launch: () => {
          launches++;
          throw new Error('no browser in this test');
        },
      },
    });
    try {
      const outcome = value<BatchOutcome>(
        await counting.call('captureUrls', { caseRef: 'BE-1', urls: ['file:///etc/passwd', 'not a url'] }),
      );
      expect(outcome).toEqual({
        items: [],
        failures: [
          {
            subject: 'file:///etc/passwd',
            message: expect.stringContaining('only http:// and https:// pages'),
          },
          { subject: 'not a url', message: expect.stringContaining('is not a valid URL') },
        ],
        cancelled: false,
      });
      expect(launches).toBe(0);
      const unknownCase = await counting.call('captureUrls', {
        caseRef: 'BE-404',
        urls: ['https://a.test/'],
      });
      expect(!unknownCase.ok && unknownCase.error.kind).toBe('bad-input');
      expect(launches).toBe(0);
    } finally {
      counting.close();
    }
  });

  it('returns an item with its record, custody and artifact bytes, and refuses an artifact it does not have', async () => {
    const { items } = await importNumbered(1);
    const item = items[0];
    if (!item) throw new Error('an item expected');
    const detail = value<{ custody: unknown[]; webRecord: unknown; record: { kind: string } }>(
      await api.call('getItem', { itemId: item.id }),
    );
    expect(detail.record.kind).toBe('import');
    expect(detail.webRecord).toBeNull();
    expect(detail.custody).toHaveLength(1);
    const artifact = item.artifacts[0];
    if (!artifact) throw new Error('an artifact expected');
    const data = value<{ base64: string }>(
      await api.call('getArtifact', { itemId: item.id, sha256: artifact.sha256 }),
    );
    expect(Buffer.from(data.base64, 'base64').toString()).toBe('evidence 0\n');
    const missing = await api.call('getArtifact', { itemId: item.id, sha256: '0'.repeat(64) });
    expect(!missing.ok && missing.error.kind).toBe('bad-input');
  });

  it('makes thumbnails of image items in one call, and none for other files', async () => {
    const png = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#2255aa' } })
      .png()
      .toBuffer();
    const outcome = value<BatchOutcome>(
      await api.call('importFiles', {
        caseRef: 'BE-1',
        paths: [temp.writeFile('photo.png', png), temp.writeFile('note.txt', 'text\n')],
      }),
    );
    const [photo, note] = outcome.items;
    if (!photo || !note) throw new Error('two items expected');
    const thumbs = value<Record<string, string | null>>(
      await api.call('getThumbnails', { itemIds: [photo.id, note.id] }),
    );
    expect(thumbs[photo.id]).toMatch(/^data:image\/webp;base64,/);
    expect(thumbs[note.id]).toBeNull();
    const rows = value<ItemPage>(await api.call('queryItems', { caseRef: 'BE-1', sort: 'title' })).rows;
    expect(rows.map((r) => [r.title, r.hasImage])).toEqual([
      ['note.txt', false],
      ['photo.png', true],
    ]);
  });

  it('creates personas with a name the shared schema accepts, lists them, and refuses a bad or taken name', async () => {
    expect(value<string[]>(await api.call('listPersonas', {}))).toEqual([]);
    expect(value<string[]>(await api.call('createPersona', { name: ' fb-undercover-1 ' }))).toEqual([
      'fb-undercover-1',
    ]);
    const profile = path.join(temp.dir, 'personas', 'fb-undercover-1');
    expect(fs.statSync(profile).isDirectory()).toBe(true);
    expect(fs.statSync(profile).mode & 0o777).toBe(0o700);
    expect(value<string[]>(await api.call('createPersona', { name: 'tg.seller_watch' }))).toEqual([
      'fb-undercover-1',
      'tg.seller_watch',
    ]);
    for (const bad of ['../escape', '.hidden', 'two words', 'x'.repeat(65)]) {
      const refused = await api.call('createPersona', { name: bad });
      expect(!refused.ok && refused.error.kind).toBe('bad-input');
      expect(!refused.ok && refused.error.message).toContain('is not a valid persona name');
    }
    const taken = await api.call('createPersona', { name: 'fb-undercover-1' });
    expect(!taken.ok && taken.error).toEqual({
      kind: 'bad-input',
      message: 'a persona named fb-undercover-1 already exists; choose another name',
    });
    expect(fs.readdirSync(path.join(temp.dir, 'personas')).sort()).toEqual([
      'fb-undercover-1',
      'tg.seller_watch',
    ]);
    expect(value<{ personas: string[] }>(await api.call('getSettings', {})).personas).toEqual([
      'fb-undercover-1',
      'tg.seller_watch',
    ]);
  });

  it('audits the store and reports it clean, with progress', async () => {
    await importNumbered(2);
    const seen: ApiProgress[] = [];
    const report = value<{ clean: boolean; counts: { items: number } }>(
      await api.call('auditStore', {}, { onProgress: (p) => seen.push(p) }),
    );
    expect(report.clean).toBe(true);
    expect(report.counts.items).toBe(2);
    expect(seen.length).toBeGreaterThan(0);
  });

  it('answers a cancelled audit at once with kind "cancelled"', async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await api.call('auditStore', {}, { signal: controller.signal });
    expect(result).toEqual({
      ok: false,
      error: { kind: 'cancelled', message: 'cancelled; nothing more was done' },
    });
  });

  it('lets the custos command write between two calls (the writer lock is released when idle)', async () => {
    value(await api.call('createCase', { number: 'BE-2', title: 'second' }));
    const store = temp.open(); // throws "in use by another Custos process" if the lock were still held
    store.close();
  });
});
