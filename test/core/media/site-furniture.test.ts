/**
 * A site's furniture (its logo on every page) must not join every capture of the site into one
 * "near-duplicate" group, nor hide a real repost: five threads of a forum, each with the forum's
 * logo, two of them showing the same boat photo (the JPEG and a resized WebP re-encode), captured
 * by real Chromium from the fixture site on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureUrls } from '../../../electron/core/capture/capture-service.js';
import { deriveMissing } from '../../../electron/core/derive/derive-items.js';
import { siteFurniture } from '../../../electron/core/media/image-hash-queries.js';
import { nearDuplicateGroups, similarImages } from '../../../electron/core/media/similar-images.js';
import type { EvidenceStore } from '../../../electron/core/store/evidence-store.js';
import type { ItemSummary } from '../../../shared/domain.js';
import { SITE_FURNITURE_PAGES } from '../../../shared/media.js';
import { type FixtureServer, startFixtureServer } from '../../support/fixture-server.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';

let server: FixtureServer;
let temp: TempStore;
let store: EvidenceStore;
const threads: ItemSummary[] = [];
const logo = () => server.url('/img/site-logo.png');

/**
 * Captures the threads in one batch, in this order (one browser for the batch, as the capture bar's
 * list of addresses does: a launch per thread was most of this file's time), and derives their hashes.
 */
async function captureThreads(ns: readonly number[]): Promise<ItemSummary[]> {
  const outcome = await captureUrls(store, {
    urls: ns.map((n) => new URL(server.url(`/forum/post-${n}.html`))),
    caseRef: 'BE-5',
  });
  expect(outcome.failures.map((f) => f.error.message)).toEqual([]);
  expect(outcome.items).toHaveLength(ns.length);
  await deriveMissing(store);
  return [...outcome.items];
}

/** The other items an item's page images resemble, by the image URL that matched. */
function pageImageMatches(item: ItemSummary): { itemId: string; uri: string | undefined }[] {
  return similarImages(store, item.id)
    .similar.filter((s) => s.role === 'page-image')
    .map((s) => ({ itemId: s.itemId, uri: s.page?.uri }));
}

beforeAll(async () => {
  server = await startFixtureServer();
  temp = makeTempStore({ caseNumber: 'BE-5' });
  store = temp.open();
  const below = Array.from({ length: SITE_FURNITURE_PAGES - 1 }, (_, i) => i + 1);
  threads.push(...(await captureThreads(below)));
}, 300_000);

afterAll(async () => {
  store?.close();
  temp?.remove();
  await server?.close();
});

describe('a site’s furniture in near-duplicate images', () => {
  it(`below ${SITE_FURNITURE_PAGES} pages, the same logo still links the threads (it may be a shared picture)`, () => {
    expect(siteFurniture(store.db).size).toBe(0);
    const third = threads[2]!;
    expect(pageImageMatches(third)).toContainEqual({ itemId: threads[3]!.id, uri: logo() });
  });

  it(`on ${SITE_FURNITURE_PAGES} different pages the logo is left out, said so, and the repost is still found`, async () => {
    threads.push(...(await captureThreads([SITE_FURNITURE_PAGES])));
    expect([...siteFurniture(store.db).values()]).toEqual([SITE_FURNITURE_PAGES]);

    const first = similarImages(store, threads[0]!.id);
    expect(first.siteFurniture).toEqual([
      { sha256: expect.stringMatching(/^[0-9a-f]{64}$/), uri: logo(), pages: SITE_FURNITURE_PAGES },
    ]);
    // The boat photo reposted as a WebP on thread 2 is found; the logo links nothing any more.
    expect(pageImageMatches(threads[0]!)).toEqual([
      { itemId: threads[1]!.id, uri: server.url('/img/boat-repost.webp') },
    ]);
    expect(pageImageMatches(threads[2]!)).toEqual([]);

    const members = nearDuplicateGroups(store).flatMap((g) => g.members);
    expect(members.some((m) => m.page?.uri === logo())).toBe(false);
    const boatGroup = nearDuplicateGroups(store).find((g) =>
      g.members.some((m) => m.itemId === threads[0]!.id),
    );
    expect(boatGroup?.members.map((m) => m.itemId)).toContain(threads[1]!.id);
  }, 120_000);

  it('the same thread captured again and again (a watch) is one page: its pictures are never furniture', async () => {
    await captureThreads(Array.from({ length: SITE_FURNITURE_PAGES }, () => 1));
    const furniture = siteFurniture(store.db);
    // Only the logo (on five different threads); the boat photo is on two pages however often captured.
    expect(furniture.size).toBe(1);
    expect(pageImageMatches(threads[1]!).map((m) => m.uri)).toContain(server.url('/img/boat.jpg'));
  }, 300_000);
});
