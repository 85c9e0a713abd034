import crypto from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAudit } from '../../../electron/core/audit/run-audit.js';
import { deriveMissing, rebuildDerived } from '../../../electron/core/derive/derive-items.js';
import { derivationErrors } from '../../../electron/core/derive/derived-state-queries.js';
import { importFile } from '../../../electron/core/import/import-file.js';
import { imageHashDeriver } from '../../../electron/core/media/image-hash-deriver.js';
import {
  allImageHashes,
  bandProbes,
  findNearHashes,
  ImageHashIndex,
  itemImageHashes,
  replaceItemImageHashes,
} from '../../../electron/core/media/image-hash-queries.js';
import { hammingDistance, NEAR_DUPLICATE_DISTANCE } from '../../../electron/core/media/perceptual-hash.js';
import { nearDuplicateGroups, similarImages } from '../../../electron/core/media/similar-images.js';
import type { EvidenceStore } from '../../../electron/core/store/evidence-store.js';
import { makePhoto, PHONE_EXIF, repost } from '../../support/photos.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';

let temp: TempStore;
let store: EvidenceStore;
const ids: Record<string, string> = {};

async function importAs(name: string, caseNumber: string, bytes: Buffer): Promise<string> {
  const item = await importFile(store, caseNumber, temp.writeFile(name, bytes));
  ids[name] = item.id;
  return item.id;
}

beforeAll(async () => {
  temp = makeTempStore({ caseNumber: 'BE-1' });
  store = temp.open();
  store.createCase({ number: 'IT-2', title: 'Crossings from Libya' });
  store.createCase({ number: 'FR-3', title: 'Calais' });
  const boat = await makePhoto(1, { exif: PHONE_EXIF });
  const dinghy = await makePhoto(7);
  await importAs('boat.jpg', 'BE-1', boat);
  await importAs('dinghy.jpg', 'BE-1', dinghy);
  await importAs('boat-repost.jpg', 'IT-2', await repost(boat));
  await importAs('boat-repost.webp', 'IT-2', await repost(boat, 'webp'));
  await importAs('dinghy-copy.png', 'BE-1', await repost(dinghy, 'png'));
  await importAs('unrelated.jpg', 'FR-3', await makePhoto(23));
  await importAs(
    'blank.png',
    'FR-3',
    await sharp({ create: { width: 300, height: 200, channels: 3, background: '#ffffff' } })
      .png()
      .toBuffer(),
  );
  // The head of a JPEG and then noise: sniffed as a photo, but no decoder can read it.
  await importAs('truncated.jpg', 'FR-3', Buffer.concat([boat.subarray(0, 200), crypto.randomBytes(3000)]));
  await deriveMissing(store);
}, 120_000);

afterAll(() => {
  store?.close();
  temp?.remove();
});

describe('near-duplicate images (perceptual hashes of every picture)', () => {
  it('finds a resized, re-encoded copy imported into another case as similar, and not an unrelated picture', () => {
    const result = similarImages(store, ids['boat.jpg']!);
    expect(result.status).toBe('hashed');
    expect(result.images).toHaveLength(1);
    const found = result.similar.map((s) => s.itemId).sort();
    expect(found).toEqual([ids['boat-repost.jpg'], ids['boat-repost.webp']].sort());
    for (const s of result.similar) {
      expect(s.caseNumber).toBe('IT-2');
      expect(s.distance).toBeLessThanOrEqual(NEAR_DUPLICATE_DISTANCE);
      expect(s.matchedRole).toBe('original');
    }
    // The unrelated pictures really are far apart (else the test above would prove nothing).
    const hashOf = (name: string) => itemImageHashes(store.db, ids[name]!)[0]!.phash;
    for (const other of ['dinghy.jpg', 'unrelated.jpg', 'dinghy-copy.png']) {
      expect(hammingDistance(hashOf('boat.jpg'), hashOf(other))).toBeGreaterThan(NEAR_DUPLICATE_DISTANCE);
    }
  });

  it('groups near-duplicates across cases, the groups that cross cases first, and leaves lone pictures out', () => {
    const groups = nearDuplicateGroups(store);
    expect(groups.map((g) => g.members.map((m) => m.itemId).sort())).toEqual([
      [ids['boat.jpg'], ids['boat-repost.jpg'], ids['boat-repost.webp']].sort(),
      [ids['dinghy.jpg'], ids['dinghy-copy.png']].sort(),
    ]);
    expect(groups.map((g) => g.caseNumbers)).toEqual([['BE-1', 'IT-2'], ['BE-1']]);
    expect(nearDuplicateGroups(store, { caseRef: 'IT-2' }).map((g) => g.members.length)).toEqual([3]);
    expect(nearDuplicateGroups(store, { caseRef: 'FR-3' })).toEqual([]);
  });

  it('gives a blank picture no hash (it would match every other blank one) and records an undecodable one as failed', () => {
    expect(similarImages(store, ids['blank.png']!)).toMatchObject({
      status: 'hashed',
      images: [],
      similar: [],
    });
    const broken = similarImages(store, ids['truncated.jpg']!);
    expect(broken.status).toBe('failed');
    expect(broken.error).toMatch(/no picture could be hashed \(original\.jpg: /);
    expect(derivationErrors(store.db).map((e) => [e.itemId, e.deriver])).toEqual([
      [ids['truncated.jpg'], 'image-hash'],
    ]);
  });

  it('rebuilds the same hashes from the originals (custos reindex), and the store still audits clean', async () => {
    const before = allImageHashes(store.db);
    expect(before.length).toBe(6);
    await rebuildDerived(store, { derivers: [imageHashDeriver] });
    expect(allImageHashes(store.db)).toEqual(before);
    const audit = await runAudit(store);
    expect(audit.problems).toEqual([]);
  });

  it('says an unknown item is bad input', () => {
    expect(() => similarImages(store, 'no-such-item')).toThrow(/item no-such-item not found/);
    expect(() => nearDuplicateGroups(store, { caseRef: 'XX-9' })).toThrow(/case XX-9 not found/);
  });
});

describe('near-neighbour lookup through the four 16-bit bands', () => {
  const randomHash = () => crypto.randomBytes(8).toString('hex');
  /** `hash` with `bits` distinct bits flipped, spread over all four bands. */
  const flip = (hash: string, bits: number) => {
    let value = BigInt(`0x${hash}`);
    const positions = new Set<number>();
    while (positions.size < bits) positions.add(crypto.randomInt(64));
    for (const p of positions) value ^= 1n << BigInt(p);
    return value.toString(16).padStart(16, '0');
  };

  it('lists every value within the radius of a band: 1 + 16 + 120 for 2 bits', () => {
    const probes = bandProbes(0xbeef, 2);
    expect(probes).toHaveLength(137);
    expect(new Set(probes).size).toBe(137);
    for (const p of probes)
      expect(hammingDistance(p.toString(16).padStart(4, '0'), 'beef')).toBeLessThanOrEqual(2);
  });

  it('finds exactly the hashes within 10 bits among thousands, as a full scan does', () => {
    const itemId = ids['unrelated.jpg']!;
    const query = randomHash();
    const rows = Array.from({ length: 3000 }, () => randomHash());
    // Planted neighbours at every distance up to 10 (the hardest: bits spread across bands), and some just beyond.
    for (let d = 0; d <= 12; d++) for (let k = 0; k < 5; k++) rows.push(flip(query, d));
    const stored = rows.map((phash, i) => ({
      sha256: i.toString(16).padStart(64, '0'),
      role: 'original',
      phash,
    }));
    store.transaction((db) => replaceItemImageHashes(db, itemId, stored));
    try {
      const expected = stored
        .filter((r) => hammingDistance(r.phash, query) <= NEAR_DUPLICATE_DISTANCE)
        .map((r) => r.sha256)
        .sort();
      expect(expected.length).toBeGreaterThanOrEqual(55);
      const found = findNearHashes(store.db, query, NEAR_DUPLICATE_DISTANCE);
      expect(found.map((f) => f.sha256).sort()).toEqual(expected);
      for (const f of found) expect(f.distance).toBe(hammingDistance(f.phash, query));

      // The in-memory index (for the groups) finds the same.
      const index = new ImageHashIndex([
        { itemId: 'query', sha256: 'query', role: 'original', phash: query },
        ...stored.map((r) => ({ itemId, ...r })),
      ]);
      expect(
        index
          .near(0, NEAR_DUPLICATE_DISTANCE)
          .map((n) => stored[n.index - 1]!.sha256)
          .sort(),
      ).toEqual(expected);
    } finally {
      store.transaction((db) => replaceItemImageHashes(db, itemId, []));
    }
  });
});
