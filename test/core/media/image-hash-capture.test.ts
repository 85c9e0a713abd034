import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureUrls } from '../../../electron/core/capture/capture-service.js';
import { deriveMissing } from '../../../electron/core/derive/derive-items.js';
import { importFile } from '../../../electron/core/import/import-file.js';
import { similarImages } from '../../../electron/core/media/similar-images.js';
import type { EvidenceStore } from '../../../electron/core/store/evidence-store.js';
import type { ItemSummary } from '../../../shared/domain.js';
import { type FixtureServer, startFixtureServer } from '../../support/fixture-server.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';

let server: FixtureServer;
let temp: TempStore;
let store: EvidenceStore;
let capture: ItemSummary;

beforeAll(async () => {
  server = await startFixtureServer();
  temp = makeTempStore({ caseNumber: 'BE-1' });
  store = temp.open();
  store.createCase({ number: 'IT-2', title: 'Lampedusa' });
  const outcome = await captureUrls(store, { urls: [new URL(server.url('/post.html'))], caseRef: 'BE-1' });
  expect(outcome.failures.map((f) => f.error.message)).toEqual([]);
  capture = outcome.items[0]!;
  await deriveMissing(store);
}, 180_000);

afterAll(async () => {
  store?.close();
  temp?.remove();
  await server?.close();
});

describe('pictures of a web capture', () => {
  it('hashes the full-page screenshot, the viewport and the photo inside a captured page', () => {
    const result = similarImages(store, capture.id);
    expect(result.status).toBe('hashed');
    const screenshot = capture.artifacts.find((a) => a.role === 'screenshot')!;
    expect(result.images.map((i) => i.sha256)).toContain(screenshot.sha256);
    expect(result.images.filter((i) => i.role === 'page-image').map((i) => i.page?.uri)).toEqual([
      server.url('/img/boat.jpg'),
    ]);
    expect(
      result.images
        .map((i) => i.role)
        .filter((role) => role !== 'page-image')
        .sort(),
    ).toEqual(
      capture.artifacts.some((a) => a.role === 'viewport' && a.sha256 !== screenshot.sha256)
        ? ['screenshot', 'viewport']
        : ['screenshot'],
    );
  });

  it('finds the capture from a phone screenshot of the same post, re-encoded and imported into another case', async () => {
    const screenshot = capture.artifacts.find((a) => a.role === 'screenshot')!;
    const photo = await sharp(temp.blobPath(screenshot.sha256)).resize(600).jpeg({ quality: 60 }).toBuffer();
    const imported = await importFile(store, 'IT-2', temp.writeFile('whatsapp-forward.jpg', photo));
    await deriveMissing(store);
    const result = similarImages(store, imported.id);
    expect(result.similar.map((s) => [s.itemId, s.caseNumber, s.role])).toContainEqual([
      capture.id,
      'BE-1',
      'screenshot',
    ]);
  });
});
