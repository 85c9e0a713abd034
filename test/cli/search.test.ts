import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchPage } from '../../shared/api.js';
import { AD_FILES, ADS_DIR } from '../support/ad-fixtures.js';
import { fixtureServerForTests } from '../support/fixture-server.js';
import { runCustos, runCustosJson } from '../support/run-custos.js';
import { sqliteShell } from '../support/sqlite.js';
import { makeTempStore, type TempStore, tempStoreForTests } from '../support/temp-store.js';
import { CLI_TEST_TIMEOUT_MS, type ItemsJson } from './cli-fixtures.js';

const CASE = 'BE-2026-0142';
type SearchJson = Omit<SearchPage, 'hits'> & { items: SearchPage['hits'] };

describe('custos search', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  let temp: TempStore;
  let ids: Record<string, string>;
  beforeAll(async () => {
    temp = makeTempStore({ caseNumber: CASE });
    const imported = await runCustosJson<ItemsJson>(
      ['import', ...AD_FILES.map((name) => `${ADS_DIR}/${name}`), '--case', CASE],
      { store: temp.dir },
    );
    expect(imported.status, imported.stderr).toBe(0);
    ids = Object.fromEntries(AD_FILES.map((name, i) => [name, imported.json.items[i]?.id ?? '']));
  }, CLI_TEST_TIMEOUT_MS);
  afterAll(() => temp?.remove());

  const search = (...args: string[]) => runCustosJson<SearchJson>(['search', ...args], { store: temp.dir });

  it('--json prints ranked items with id, title, url, case, rank and a marked snippet of the original', async () => {
    const result = await search('ايطاليا', '--case', CASE);
    expect(result.status, result.stderr).toBe(0);
    expect(result.json).toMatchObject({ query: 'ايطاليا', total: 1, offset: 0 });
    const [hit] = result.json.items;
    expect(hit).toMatchObject({
      id: ids['ar-libya-italy.txt'],
      caseNumber: CASE,
      kind: 'import',
      title: 'ar-libya-italy.txt',
      url: null,
      rank: 1,
    });
    expect(hit?.score).toBeGreaterThan(0);
    const marked = hit?.snippet?.marks.map(([s, e]) => hit.snippet?.text.slice(s, e));
    expect(marked).toEqual(['إِيطَالِيَا']); // as the ad wrote it, diacritics and all
  });

  it('prints the snippet with the matched words in brackets for a person', async () => {
    const result = await runCustos(['search', 'barca', 'grande'], { store: temp.dir });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('1 item(s) match');
    expect(result.stdout).toContain('[barca] [grande]');
  });

  it('a word in no item prints no items and exits 0', async () => {
    const result = await search('Zanzibar');
    expect(result.status).toBe(0);
    expect(result.json).toMatchObject({ total: 0, items: [] });
  });

  it('an empty query or one with nothing to search for exits 2 with a message', async () => {
    for (const query of ['', '   ', '"', '*']) {
      const result = await runCustos(['search', query], { store: temp.dir });
      expect(result.status, query).toBe(2);
      expect(result.stderr).toMatch(/search for/);
      expect(result.stderr).not.toMatch(/fts5|SQLITE|syntax error/i);
    }
  });

  it('FTS5 syntax in a query is searched as text, never an SQL error', async () => {
    const result = await search('NEAR(barca', 'AND', 'title:grande');
    expect(result.status, result.stderr).toBe(0);
    expect(result.json.total).toBe(0); // "near", "and" and "title" are not in the Italian ad
    const quoted = await search('"barca');
    expect(quoted.json.items.map((i) => i.id)).toEqual([ids['it-viaggio-lampedusa.txt']]);
  });

  it('an unknown case exits 2', async () => {
    const result = await runCustos(['search', 'barca', '--case', 'NOPE-1'], { store: temp.dir });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('case NOPE-1 not found');
  });

  it('finds a note added later, once `custos note` has written it', async () => {
    const target = ids['fr-passage-espagne.txt'] ?? '';
    expect((await search('Algeciras')).json.total).toBe(0);
    expect(
      (await runCustos(['note', target, 'Le passeur dit Algeciras, pas Algésiras'], { store: temp.dir }))
        .status,
    ).toBe(0);
    const found = await search('algeciras');
    expect(found.json.items).toMatchObject([{ id: target, snippet: { field: 'notes' } }]);
  });

  it('`custos reindex` rebuilds an index emptied by hand, and the audit stays clean', async () => {
    sqliteShell(temp.dir, 'DELETE FROM search_index;');
    expect((await search('Lampedusa')).json.total).toBe(0);
    const reindex = await runCustos(['reindex'], { store: temp.dir });
    expect(reindex.status, reindex.stderr).toBe(0);
    expect((await search('Lampedusa')).json.items.map((i) => i.id)).toEqual([
      ids['it-viaggio-lampedusa.txt'],
    ]);
    const audit = await runCustos(['audit'], { store: temp.dir });
    expect(audit.status, audit.stdout + audit.stderr).toBe(0);
  });
});

describe('custos search finds a phone number however it is typed', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  let temp: TempStore;
  let postId: string;
  beforeAll(async () => {
    temp = makeTempStore({ caseNumber: CASE });
    const post = temp.writeFile('post.txt', 'Boat to Lampedusa on Thursday. Call +218 91 234 5678 to book.');
    const other = temp.writeFile('other.txt', 'Nothing to do with it: 2024 06 03.');
    const imported = await runCustosJson<ItemsJson>(['import', post, other, '--case', CASE], {
      store: temp.dir,
    });
    expect(imported.status, imported.stderr).toBe(0);
    postId = imported.json.items[0]?.id ?? '';
  }, CLI_TEST_TIMEOUT_MS);
  afterAll(() => temp?.remove());

  const found = async (...args: string[]) => {
    const result = await runCustosJson<SearchJson>(['search', ...args], { store: temp.dir });
    expect(result.status, result.stderr).toBe(0);
    return result.json.items.map((i) => i.id);
  };

  it('`custos search "+218912345678"` finds the post holding +218 91 234 5678', async () => {
    expect(await found('+218912345678')).toEqual([postId]);
    expect(await found('218912345678')).toEqual([postId]);
  });

  it('`custos search 0912345678 --case` finds it by its national form', async () => {
    expect(await found('0912345678', '--case', CASE)).toEqual([postId]);
  });

  it('`custos search Lampedu` finds Lampedusa: words match by prefix', async () => {
    expect(await found('Lampedu')).toEqual([postId]);
  });
});

describe('custos search finds the text of a captured page', { timeout: 240_000 }, () => {
  const server = fixtureServerForTests();
  const temp = tempStoreForTests({ caseNumber: CASE });

  it('a word of the page (without its diacritics or hamza) finds the capture, with its title and address', async () => {
    const captured = await runCustosJson<ItemsJson>(['capture', server().url('/post.html'), '--case', CASE], {
      store: temp().dir,
      timeoutMs: 200_000,
    });
    expect(captured.status, captured.stderr).toBe(0);
    const id = captured.json.items[0]?.id;
    // the page says زوارة and "نصف المبلغ مقدماً"
    const result = await runCustosJson<SearchJson>(['search', 'زواره', '"نصف المبلغ مقدما"'], {
      store: temp().dir,
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.json.items).toMatchObject([
      {
        id,
        url: server().url('/post.html'),
        title: 'رحلات إلى إيطاليا – مكان مضمون | سوق البحر',
        snippet: { field: 'body' },
      },
    ]);
  });
});
