/**
 * Near-duplicate images benchmark: the near-neighbour lookup over 100,000 synthetic perceptual
 * hashes in a real store (the four band indexes of migration 008), against a full scan of the same
 * hashes; the groups pass over all of them; and the time to hash a phone photo (12 MP JPEG) and a
 * 1280 × 40,000 px page screenshot from their files.
 *
 *   node --import tsx bench/images/run.ts [HASHES] [QUERIES] [PHOTOS]
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { importFile } from '../../electron/core/import/import-file.js';
import {
  allImageHashes,
  distanceOfHalves,
  findNearHashes,
  halvesOf,
  replaceItemImageHashes,
} from '../../electron/core/media/image-hash-queries.js';
import { NEAR_DUPLICATE_DISTANCE, perceptualHashOfImage } from '../../electron/core/media/perceptual-hash.js';
import { nearDuplicateGroups } from '../../electron/core/media/similar-images.js';
import { EvidenceStore } from '../../electron/core/store/evidence-store.js';
import { makePhoto, makeTallScreenshot } from '../../test/support/photos.js';
import { makeBenchDir, printFigures, removeBenchDir, timed } from '../support/bench-kit.js';

const HASHES = Number(process.argv[2] ?? 100_000);
const QUERIES = Number(process.argv[3] ?? 1000);
const PHOTOS = Number(process.argv[4] ?? 5);
const ITEMS = 100;

const randomHash = () => crypto.randomBytes(8).toString('hex');
function flip(hash: string, bits: number): string {
  let value = BigInt(`0x${hash}`);
  const positions = new Set<number>();
  while (positions.size < bits) positions.add(crypto.randomInt(64));
  for (const p of positions) value ^= 1n << BigInt(p);
  return value.toString(16).padStart(16, '0');
}
const ms = (seconds: number) => `${(seconds * 1000).toFixed(2)} ms`;
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

const dir = makeBenchDir('images');
try {
  const store = EvidenceStore.openForWriting(path.join(dir, 'store'), { create: true });
  store.init({ name: 'Bench', agency: null, badge: null });
  store.createCase({ number: 'BENCH-IMG', title: 'Images bench' });
  // A hundred items hold the hashes (the table names real items); one in ten hashes is a
  // near-duplicate (1 to 8 bits away) of an earlier one, as re-posted photos are.
  const itemIds: string[] = [];
  for (let i = 0; i < ITEMS; i++) {
    itemIds.push((await importFile(store, 'BENCH-IMG', writeTemp(`f${i}.txt`, `item ${i}`))).id);
  }
  const hashes: string[] = [];
  for (let i = 0; i < HASHES; i++) {
    hashes.push(
      i > 0 && i % 10 === 0 ? flip(hashes[crypto.randomInt(i)]!, 1 + crypto.randomInt(8)) : randomHash(),
    );
  }
  const filled = await timed(() =>
    store.transaction((db) => {
      const perItem = Math.ceil(HASHES / ITEMS);
      itemIds.forEach((itemId, k) => {
        const rows = hashes.slice(k * perItem, (k + 1) * perItem).map((phash, j) => ({
          sha256: (k * perItem + j).toString(16).padStart(64, '0'),
          role: 'original',
          phash,
        }));
        replaceItemImageHashes(db, itemId, rows);
      });
    }),
  );

  // Queries: half are near a stored hash (a photo seen before), half are new pictures.
  const queries = Array.from({ length: QUERIES }, (_, i) =>
    i % 2 === 0
      ? flip(hashes[crypto.randomInt(HASHES)]!, crypto.randomInt(NEAR_DUPLICATE_DISTANCE + 1))
      : randomHash(),
  );
  const lookupTimes: number[] = [];
  let found = 0;
  for (const query of queries) {
    const { value, seconds } = await timed(() => findNearHashes(store.db, query, NEAR_DUPLICATE_DISTANCE));
    lookupTimes.push(seconds);
    found += value.length;
  }
  lookupTimes.sort((a, b) => a - b);

  // The same answers by a full scan: every hash read and compared.
  const scanTimes: number[] = [];
  let scanFound = 0;
  for (const query of queries.slice(0, 50)) {
    const { value, seconds } = await timed(() => {
      const [qh, ql] = halvesOf(query);
      return allImageHashes(store.db).filter((row) => {
        const [h, l] = halvesOf(row.phash);
        return distanceOfHalves(qh, ql, h, l) <= NEAR_DUPLICATE_DISTANCE;
      }).length;
    });
    scanTimes.push(seconds);
    scanFound += value;
  }
  scanTimes.sort((a, b) => a - b);
  const indexedFirst50 = queries
    .slice(0, 50)
    .reduce((n, q) => n + findNearHashes(store.db, q, NEAR_DUPLICATE_DISTANCE).length, 0);

  const groups = await timed(() => nearDuplicateGroups(store));
  store.close();

  printFigures(
    `near-neighbour lookup, ${HASHES.toLocaleString('en')} hashes, distance ≤ ${NEAR_DUPLICATE_DISTANCE} (load ${loadavg()[0]!.toFixed(1)})`,
    [
      ['hashes written (one transaction)', ms(filled.seconds)],
      [`lookup through the band indexes, median of ${QUERIES}`, ms(percentile(lookupTimes, 0.5))],
      ['lookup, 95th percentile', ms(percentile(lookupTimes, 0.95))],
      ['lookup, slowest', ms(lookupTimes.at(-1)!)],
      ['neighbours found per query (mean)', (found / QUERIES).toFixed(2)],
      ['full scan of all hashes, median of 50', ms(percentile(scanTimes, 0.5))],
      ['full scan and index agree on the first 50 queries', String(scanFound === indexedFirst50)],
      ['groups pass over every hash (in-memory bands)', ms(groups.seconds)],
    ],
  );

  // Hashing real-sized pictures from their files.
  const photoTimes: number[] = [];
  for (let i = 0; i < PHOTOS; i++) {
    const file = writeTemp(
      `photo${i}.jpg`,
      await makePhoto(100 + i, { width: 4032, height: 3024, quality: 88 }),
    );
    photoTimes.push((await timed(() => perceptualHashOfImage(file))).seconds);
  }
  photoTimes.sort((a, b) => a - b);
  const tall = path.join(dir, 'tall.png');
  await makeTallScreenshot(tall, 40_000);
  const tallTime = await timed(() => perceptualHashOfImage(tall));
  printFigures('perceptual hash from the file (bounded greyscale rendition, then pHash)', [
    [`12 MP phone photo (4032 × 3024 JPEG), median of ${PHOTOS}`, ms(percentile(photoTimes, 0.5))],
    ['12 MP phone photo, slowest', ms(photoTimes.at(-1)!)],
    ['1280 × 40,000 px page screenshot (PNG)', ms(tallTime.seconds)],
    ['peak memory of this process (max RSS)', `${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`],
  ]);
} finally {
  removeBenchDir(dir);
}

function writeTemp(name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}
