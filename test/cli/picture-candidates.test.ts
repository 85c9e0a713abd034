/**
 * Numbers read from a picture in Eastern Arabic digits are candidates, never entities: a real
 * import of a committed fixture picture (Chromium-rendered Arabic ad, test/fixtures/pictures),
 * read by the real Tesseract worker with the packaged models.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digitsDifferent } from '../../electron/core/ocr/one-digit.js';
import type { CaseEntity, EntityCandidate } from '../../shared/entities.js';
import type { SelectorHit } from '../../shared/selectors.js';
import { REPO_ROOT, runCustos, runCustosJson } from '../support/run-custos.js';
import { makeTempStore, type TempStore } from '../support/temp-store.js';
import { CLI_TEST_TIMEOUT_MS, type ItemsJson } from './cli-fixtures.js';

/** The suite turns text recognition off (vitest.config.ts); these runs need it. */
const OCR_ON = { CUSTOS_OCR: 'on' };
/** What the fixture says: واتساب ٠٠٢١٨ ٩١ ٢٣٥ ٧٨٩٠ in an ad for trips from Libya to Italy. */
const WRITTEN = '+218912357890';
const PICTURE = path.join(REPO_ROOT, 'test/fixtures/pictures/eastern-digit-number.png');

let temp: TempStore;
let pictureId: string;
let textId: string;

beforeAll(async () => {
  temp = makeTempStore({ caseNumber: 'LY-7' });
  const selector = await runCustos(['selector', 'add', '00218 91 235 7890', '--label', 'broker'], {
    store: temp.dir,
  });
  expect(selector.status, selector.stderr).toBe(0);
  // The same number typed in a chat export: a known entity the candidate may be.
  const chat = temp.writeFile('chat.txt', 'Broker on WhatsApp: +218 91 235 7890\n');
  const imported = await runCustosJson<ItemsJson>(['import', PICTURE, chat, '--case', 'LY-7'], {
    store: temp.dir,
    env: OCR_ON,
    timeoutMs: 240_000,
  });
  expect(imported.status, imported.stderr).toBe(0);
  [pictureId, textId] = imported.json.items.map((i) => i.id) as [string, string];
}, CLI_TEST_TIMEOUT_MS);

afterAll(() => temp?.remove());

describe('numbers read from a picture in Eastern Arabic digits', () => {
  it('are listed by `entities --json` as candidates with their confidence and possible matches, never as entities of the picture', async () => {
    const result = await runCustosJson<{ entities: CaseEntity[]; candidates: EntityCandidate[] }>(
      ['entities', '--case', 'LY-7'],
      { store: temp.dir },
    );
    expect(result.status, result.stderr).toBe(0);
    // The picture's item is in no entity: only the chat export's typed number is one.
    for (const entity of result.json.entities) expect(entity.items.map((i) => i.id)).not.toContain(pictureId);
    const phone = result.json.entities.find((e) => e.type === 'phone' && e.value === WRITTEN);
    expect(phone?.items.map((i) => i.id)).toEqual([textId]);

    const candidate = result.json.candidates.find(
      (c) => c.type === 'phone' && digitsDifferent(c.value, WRITTEN) <= 1,
    );
    expect(candidate, JSON.stringify(result.json.candidates)).toBeDefined();
    expect(candidate!.itemId).toBe(pictureId);
    expect(candidate!.original).toMatch(/[\u0660-\u0669\u06F0-\u06F9]/);
    expect(candidate!.confidence).toBeGreaterThan(0);
    expect(candidate!.confidence).toBeLessThanOrEqual(100);
    expect(candidate!.picture).toMatchObject({ role: 'original', uri: null });
    expect(candidate!.possibleMatches).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'entity', type: 'phone', value: WRITTEN }),
        expect.objectContaining({ kind: 'selector', value: WRITTEN, label: 'broker' }),
      ]),
    );
  });

  it('are printed by `entities` apart from the entities, with confidence and possible matches', async () => {
    const result = await runCustos(['entities', '--case', 'LY-7'], { store: temp.dir });
    expect(result.status, result.stderr).toBe(0);
    const [entities, candidates] = result.stdout.split(/candidate\(s\) read from pictures/);
    expect(entities).toContain(WRITTEN);
    expect(candidates).toMatch(/not entities, confirm by eye/);
    expect(candidates).toMatch(/\d+%/);
    expect(candidates).toContain(`${WRITTEN} (selector "broker"`);
    expect(candidates).toContain(`${WRITTEN} (phone entity`);
  });

  it('are a possible hit of a selector one digit away or the same, not an entity hit', async () => {
    const result = await runCustosJson<{ hits: SelectorHit[] }>(['selector', 'hits'], { store: temp.dir });
    expect(result.status, result.stderr).toBe(0);
    const ofPicture = result.json.hits.filter((h) => h.itemId === pictureId);
    expect(ofPicture).toEqual([expect.objectContaining({ match: 'possible', sources: ['picture'] })]);
  });
});
