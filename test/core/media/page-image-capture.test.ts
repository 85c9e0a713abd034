/**
 * Page images of real captures: two accounts post the same boat photo on two differently laid-out
 * pages (one the original JPEG, the other a resized WebP re-encode), captured by real Chromium
 * from the fixture site on 127.0.0.1 into two cases.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiService } from '../../../electron/core/api/api-service.js';
import { thumbnailCache } from '../../../electron/core/api/services/thumbnails.js';
import { runAudit } from '../../../electron/core/audit/run-audit.js';
import { captureUrls } from '../../../electron/core/capture/capture-service.js';
import { deriveMissing, rebuildDerived } from '../../../electron/core/derive/derive-items.js';
import { imageHashDeriver } from '../../../electron/core/media/image-hash-deriver.js';
import { allImageHashes, itemImageHashes } from '../../../electron/core/media/image-hash-queries.js';
import { hammingDistance, NEAR_DUPLICATE_DISTANCE } from '../../../electron/core/media/perceptual-hash.js';
import { nearDuplicateGroups, similarImages } from '../../../electron/core/media/similar-images.js';
import type { EvidenceStore } from '../../../electron/core/store/evidence-store.js';
import type { SimilarImagesView } from '../../../shared/api.js';
import type { ItemSummary } from '../../../shared/domain.js';
import { FIXTURE_SITE, type FixtureServer, startFixtureServer } from '../../support/fixture-server.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';

let server: FixtureServer;
let temp: TempStore;
let store: EvidenceStore;
let abuSalem: ItemSummary;
let seaRoutes: ItemSummary;

const fixture = (name: string) => fs.readFileSync(path.join(FIXTURE_SITE, 'img', name));
const sha256 = (bytes: Buffer) => crypto.createHash('sha256').update(bytes).digest('hex');
const pageImageUris = (item: ItemSummary) =>
  itemImageHashes(store.db, item.id)
    .filter((h) => h.role === 'page-image')
    .map((h) => new URL(h.page!.uri).pathname)
    .sort();

async function capture(pathname: string, caseRef: string): Promise<ItemSummary> {
  const outcome = await captureUrls(store, { urls: [new URL(server.url(pathname))], caseRef });
  expect(outcome.failures.map((f) => f.error.message)).toEqual([]);
  return outcome.items[0]!;
}

beforeAll(async () => {
  server = await startFixtureServer();
  temp = makeTempStore({ caseNumber: 'BE-1' });
  store = temp.open();
  store.createCase({ number: 'IT-2', title: 'Lampedusa' });
  abuSalem = await capture('/accounts/abu-salem.html', 'BE-1');
  seaRoutes = await capture('/accounts/sea-routes.html', 'IT-2');
  await deriveMissing(store);
}, 240_000);

afterAll(async () => {
  store?.close();
  temp?.remove();
  await server?.close();
});

describe('photos inside captured pages (page images)', () => {
  it('finds the same boat photo posted by two accounts on two pages, across cases, and names the image URL on each page', () => {
    const result = similarImages(store, abuSalem.id);
    expect(result.status).toBe('hashed');
    const match = result.similar.find((s) => s.itemId === seaRoutes.id);
    expect(match).toMatchObject({ caseNumber: 'IT-2', role: 'page-image', matchedRole: 'page-image' });
    expect(match!.distance).toBeLessThanOrEqual(NEAR_DUPLICATE_DISTANCE);
    expect(match!.page!.uri).toBe(server.url('/img/boat-repost.webp'));
    expect(match!.matchedPage!.uri).toBe(server.url('/img/boat.jpg'));
    // The pages' screenshots are far apart (another layout): the photo inside is what matched.
    const screenshot = (item: ItemSummary) =>
      itemImageHashes(store.db, item.id).find((h) => h.role === 'screenshot')!.phash;
    expect(hammingDistance(screenshot(abuSalem), screenshot(seaRoutes))).toBeGreaterThan(
      NEAR_DUPLICATE_DISTANCE,
    );
    // The other photo of the second page is not the boat.
    expect(result.similar.map((s) => s.itemId)).toEqual([seaRoutes.id]);
  });

  it('groups the two captures as near-duplicates across cases by their page images', () => {
    const group = nearDuplicateGroups(store).find((g) => g.members.some((m) => m.itemId === abuSalem.id));
    expect(group?.caseNumbers).toEqual(['BE-1', 'IT-2']);
    expect(group?.members.map((m) => [m.itemId, m.role, m.page && new URL(m.page.uri).pathname])).toEqual([
      [abuSalem.id, 'page-image', '/img/boat.jpg'],
      [seaRoutes.id, 'page-image', '/img/boat-repost.webp'],
    ]);
  });

  it('hashes the photos of a page and not its icons, avatar or spacer, keeping where each is and its bytes’ SHA-256', () => {
    expect(pageImageUris(abuSalem)).toEqual(['/img/boat.jpg']);
    expect(pageImageUris(seaRoutes)).toEqual(['/img/boat-repost.webp', '/img/harbour.jpg']);
    const scan = similarImages(store, abuSalem.id).pageImages;
    // boat, avatar, verified badge, spacer: three too small to be photos.
    expect(scan).toMatchObject({ hashed: 1, small: 3, unreadable: 0, capped: false, note: null });
    const warc = abuSalem.artifacts.find((a) => a.role === 'warc')!;
    const boat = itemImageHashes(store.db, abuSalem.id).find((h) => h.role === 'page-image')!;
    expect(boat.sha256).toBe(sha256(fixture('boat.jpg')));
    expect(boat.page!.warcSha256).toBe(warc.sha256);
  });

  it('makes a page image’s thumbnail from its payload in the WARC, and none from a record that does not match', async () => {
    const repost = itemImageHashes(store.db, seaRoutes.id).find((h) =>
      h.page?.uri.endsWith('boat-repost.webp'),
    )!;
    const warcFile = store.blobs.pathOf(repost.page!.warcSha256);
    const thumbnail = await thumbnailCache.getPageImage(repost.sha256, warcFile, repost.page!);
    const expected = await sharp(fixture('boat-repost.webp'))
      .resize(192, 128, { fit: 'cover', position: 'centre' })
      .webp({ quality: 70 })
      .toBuffer();
    expect(thumbnail).toBe(`data:image/webp;base64,${expected.toString('base64')}`);
    // Another record's offset or another picture's hash: no thumbnail, never the wrong picture.
    const harbour = itemImageHashes(store.db, seaRoutes.id).find((h) => h.page?.uri.endsWith('harbour.jpg'))!;
    expect(
      await thumbnailCache.getPageImage(repost.sha256, warcFile, {
        ...repost.page!,
        recordOffset: harbour.page!.recordOffset,
      }),
    ).toBeNull();
    expect(await thumbnailCache.getPageImage(harbour.sha256, warcFile, repost.page!)).toBeNull();
  });

  it('rebuilds the same page-image rows from the WARCs (custos reindex), the evidence untouched and auditing clean', async () => {
    const before = allImageHashes(store.db);
    const blobs = [abuSalem, seaRoutes].flatMap((item) =>
      item.artifacts.map((a) => [a.sha256, sha256(fs.readFileSync(store.blobs.pathOf(a.sha256)))]),
    );
    await rebuildDerived(store, { derivers: [imageHashDeriver] });
    expect(allImageHashes(store.db)).toEqual(before);
    for (const [expected, actual] of blobs) expect(actual).toBe(expected);
    expect((await runAudit(store)).problems).toEqual([]);
  });

  it('gives the API’s similar images a thumbnail of the matching page image and its URL', async () => {
    store.close();
    const api = createApiService({ storeDir: temp.dir, exportDir: temp.base });
    try {
      const result = await api.call('getSimilarImages', { itemId: abuSalem.id });
      if (!result.ok) throw new Error(result.error.message);
      const view = result.value as SimilarImagesView;
      expect(
        view.similar.map((s) => [s.itemId, s.page?.uri, s.thumbnail?.startsWith('data:image/webp;base64,')]),
      ).toEqual([[seaRoutes.id, server.url('/img/boat-repost.webp'), true]]);
    } finally {
      api.close();
      store = temp.open();
    }
  });
});
