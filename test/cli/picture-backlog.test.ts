/**
 * Text in pictures is read after a command that stores items, not after any other write: a note
 * (like an export or a tag) must not spend seconds a picture and the recogniser's memory on an
 * earlier import's backlog. The backlog is said, and `custos reindex --missing` reads it (the real
 * Tesseract worker with the packaged models).
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCustos, runCustosJson } from '../support/run-custos.js';
import { makeTempStore, type TempStore } from '../support/temp-store.js';
import { CLI_TEST_TIMEOUT_MS, type ItemsJson } from './cli-fixtures.js';

/** The suite turns text recognition off (vitest.config.ts); the runs after the import turn it on. */
const OCR_ON = { CUSTOS_OCR: 'on' };
/** A picture whose only text is an ad's phone number, 00218 91 234 5678. */
const PICTURE = path.join(REPO_ROOT, 'test/fixtures/site/img/crossing-number.png');

let temp: TempStore;
let pictureId: string;

/** How many items of the case a search for the number in the picture finds. */
async function foundByNumber(): Promise<number> {
  const result = await runCustosJson<{ total: number }>(['search', '234 5678', '--case', 'LY-3'], {
    store: temp.dir,
  });
  expect(result.status, result.stderr).toBe(0);
  return result.json.total;
}

beforeAll(async () => {
  temp = makeTempStore({ caseNumber: 'LY-3' });
  // Imported with text recognition off: the picture waits, unread.
  const imported = await runCustosJson<ItemsJson>(['import', PICTURE, '--case', 'LY-3'], { store: temp.dir });
  expect(imported.status, imported.stderr).toBe(0);
  pictureId = imported.json.items[0]!.id;
}, CLI_TEST_TIMEOUT_MS);

afterAll(() => temp?.remove());

describe('the backlog of pictures to read', () => {
  it(
    'is left alone by a note, which says it is waiting',
    async () => {
      const noted = await runCustos(['note', pictureId, 'Seen on the broker page'], {
        store: temp.dir,
        env: OCR_ON,
      });
      expect(noted.status, noted.stderr).toBe(0);
      expect(noted.stderr).toContain('note: 1 item(s) are not indexed yet; run `custos reindex --missing`');
      expect(await foundByNumber()).toBe(0);
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'is read by `custos reindex --missing`, after which the number in the picture is found',
    async () => {
      const reindexed = await runCustos(['reindex', '--missing'], {
        store: temp.dir,
        env: OCR_ON,
        timeoutMs: 240_000,
      });
      expect(reindexed.status, reindexed.stderr).toBe(0);
      expect(await foundByNumber()).toBe(1);
    },
    CLI_TEST_TIMEOUT_MS,
  );
});
