/**
 * Text in pictures: a captured page whose only phone number is written inside an image (real
 * Chromium, fixture site on 127.0.0.1, the real Tesseract worker with the packaged models).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseEntity } from '../../shared/entities.js';
import type { SelectorHit } from '../../shared/selectors.js';
import { type FixtureServer, startFixtureServer } from '../support/fixture-server.js';
import { runCustos, runCustosJson } from '../support/run-custos.js';
import { makeTempStore, type TempStore } from '../support/temp-store.js';
import { CLI_TEST_TIMEOUT_MS, type ItemsJson } from './cli-fixtures.js';

/** The suite turns text recognition off (vitest.config.ts); these runs need it. */
const OCR_ON = { CUSTOS_OCR: 'on' };

let server: FixtureServer;
let temp: TempStore;
let itemId: string;
let captureStderr: string;

beforeAll(async () => {
  server = await startFixtureServer();
  temp = makeTempStore({ caseNumber: 'LY-9' });
  const selector = await runCustos(['selector', 'add', '00218 91 234 5678', '--label', 'broker'], {
    store: temp.dir,
  });
  expect(selector.status, selector.stderr).toBe(0);
  const captured = await runCustosJson<ItemsJson>(
    ['capture', server.url('/ads/number-in-picture.html'), '--case', 'LY-9'],
    { store: temp.dir, env: OCR_ON, timeoutMs: 240_000 },
  );
  expect(captured.status, captured.stderr).toBe(0);
  itemId = captured.json.items[0]!.id;
  captureStderr = captured.stderr;
}, CLI_TEST_TIMEOUT_MS);

afterAll(async () => {
  temp?.remove();
  await server?.close();
});

describe('text recognised in the pictures of a capture', () => {
  it('finds the phone number written only inside an image as an entity, marked as from that picture', async () => {
    const result = await runCustosJson<{ entities: CaseEntity[] }>(['entities', '--case', 'LY-9'], {
      store: temp.dir,
    });
    expect(result.status, result.stderr).toBe(0);
    const phone = result.json.entities.find((e) => e.type === 'phone' && e.value === '+218912345678');
    expect(phone?.items.map((i) => i.id)).toEqual([itemId]);
    const occurrences = phone!.items[0]!.occurrences;
    expect(occurrences.every((o) => o.source === 'picture')).toBe(true);
    const fromImage = occurrences.find((o) => o.picture?.role === 'page-image');
    expect(fromImage?.picture).toMatchObject({
      uri: server.url('/img/crossing-number.png'),
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const box = fromImage!.picture!.box;
    // The line is in the image's middle band (the number is drawn at y ≈ 130–170 of 300).
    expect(box.y0).toBeGreaterThan(100);
    expect(box.y1).toBeLessThan(220);
  });

  it('reports a hit of a selector added before the capture, from the picture, when it is captured and in `selector hits`', async () => {
    expect(captureStderr).toContain(`selector hit: +218912345678 (broker)`);
    const result = await runCustosJson<{ hits: SelectorHit[] }>(['selector', 'hits'], { store: temp.dir });
    expect(result.status, result.stderr).toBe(0);
    expect(result.json.hits).toEqual([
      expect.objectContaining({
        match: 'entity',
        itemId,
        caseNumber: 'LY-9',
        sources: ['picture'],
        selector: expect.objectContaining({ type: 'phone', value: '+218912345678', label: 'broker' }),
      }),
    ]);
  });

  it('finds the capture by searching for the number in the picture', async () => {
    const result = await runCustosJson<{ items: { id: string }[] }>(
      ['search', '234 5678', '--case', 'LY-9'],
      {
        store: temp.dir,
      },
    );
    expect(result.status, result.stderr).toBe(0);
    expect(result.json.items.map((i) => i.id)).toEqual([itemId]);
  });
});
