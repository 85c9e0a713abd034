import { type PageImageLocation, type PageImageScan, SITE_FURNITURE_PAGES } from '../../../shared/media.js';
import { cachedStatement, type ReadableDB, type WritableDB } from '../store/database.js';

/**
 * Multi-index hashing over the four 16-bit bands of a 64-bit perceptual hash (migration 008). If
 * two hashes differ in at most d bits, at least one of their four bands differs in at most ⌊d/4⌋
 * bits: were every band to differ in ⌊d/4⌋ + 1 or more, the whole would differ in at least
 * 4·(⌊d/4⌋ + 1) > d. (The tempting "share one band exactly" holds only for d ≤ 3.) So a lookup
 * at NEAR_DUPLICATE_DISTANCE = 10 probes, in each band, the 1 + 16 + 120 = 137 values within 2
 * bits of the query's band: 548 index probes, which find every hash within 10 bits and, among
 * 100,000 random ones, about 840 candidates to check in full.
 */
export const BAND_COUNT = 4;
const BAND_BITS = 16;

/**
 * A stored perceptual hash: the item, the picture it was computed from (an artifact, or for a
 * `page-image` a WARC payload, with `page` saying where it is), and the hash.
 */
export interface StoredImageHash {
  readonly itemId: string;
  readonly sha256: string;
  readonly role: string;
  readonly phash: string;
  readonly page?: PageImageLocation;
}

/** The role of a picture found inside a captured page (an image response of its WARC). */
export const PAGE_IMAGE_ROLE = 'page-image';

const COLUMNS =
  'item_id AS itemId, sha256, role, phash, uri, warc_sha256 AS warcSha256, record_offset AS recordOffset';

interface HashRow {
  readonly itemId: string;
  readonly sha256: string;
  readonly role: string;
  readonly phash: string;
  readonly uri: string | null;
  readonly warcSha256: string | null;
  readonly recordOffset: number | null;
}

function fromRow({ uri, warcSha256, recordOffset, ...hash }: HashRow): StoredImageHash {
  return uri === null || warcSha256 === null || recordOffset === null
    ? hash
    : { ...hash, page: { uri, warcSha256, recordOffset } };
}

/** The four 16-bit bands of a hash given as 16 hex digits, most significant first. */
export function bandsOf(phash: string): number[] {
  return Array.from({ length: BAND_COUNT }, (_, i) => Number.parseInt(phash.slice(i * 4, i * 4 + 4), 16));
}

/** The search radius per band that guarantees every hash within `maxDistance` bits is found. */
export function bandRadius(maxDistance: number): number {
  return Math.floor(maxDistance / BAND_COUNT);
}

/** Every 16-bit value within `radius` bits of `band`, itself first. */
export function bandProbes(band: number, radius: number): number[] {
  return flipMasks(radius).map((mask) => band ^ mask);
}

const masksByRadius = new Map<number, readonly number[]>();

/** The XOR masks of at most `radius` set bits among 16 (0 first), computed once per radius. */
function flipMasks(radius: number): readonly number[] {
  let masks = masksByRadius.get(radius);
  if (!masks) {
    const list = [0];
    const add = (mask: number, from: number, left: number) => {
      for (let bit = from; bit < BAND_BITS; bit++) {
        const next = mask | (1 << bit);
        list.push(next);
        if (left > 1) add(next, bit + 1, left - 1);
      }
    };
    if (radius > 0) add(0, 0, radius);
    masks = list;
    masksByRadius.set(radius, masks);
  }
  return masks;
}

/** Bits in which two hashes differ, from their halves as 32-bit integers (faster than per digit). */
export function distanceOfHalves(aHigh: number, aLow: number, bHigh: number, bLow: number): number {
  return popcount32(aHigh ^ bHigh) + popcount32(aLow ^ bLow);
}

/** The two 32-bit halves of a hash given as 16 hex digits. */
export function halvesOf(phash: string): [number, number] {
  return [Number.parseInt(phash.slice(0, 8), 16), Number.parseInt(phash.slice(8, 16), 16)];
}

function popcount32(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** A stored hash found near a query, with its distance. */
export interface NearHash extends StoredImageHash {
  readonly distance: number;
}

/** Every stored hash within `maxDistance` bits of `phash`, through the band indexes. */
export function findNearHashes(db: ReadableDB, phash: string, maxDistance: number): NearHash[] {
  const radius = bandRadius(maxDistance);
  const [high, low] = halvesOf(phash);
  const seen = new Map<string, NearHash>();
  bandsOf(phash).forEach((band, index) => {
    const probes = bandProbes(band, radius);
    const rows = db
      .prepare(`SELECT ${COLUMNS} FROM image_hashes WHERE band${index} IN (SELECT value FROM json_each(?))`)
      .all(JSON.stringify(probes)) as HashRow[];
    for (const row of rows) {
      const key = `${row.itemId} ${row.sha256}`;
      if (seen.has(key)) continue;
      const [h, l] = halvesOf(row.phash);
      const distance = distanceOfHalves(high, low, h, l);
      if (distance <= maxDistance) seen.set(key, { ...fromRow(row), distance });
    }
  });
  return [...seen.values()];
}

/**
 * The hashes of many pictures in memory, with the same four band buckets, for whole-store work
 * (the groups of near-duplicates): per band, the hashes sorted into 65,536 buckets in two typed
 * arrays (offsets and members), so a probe is two array reads, not a query.
 */
export class ImageHashIndex {
  private readonly high: Int32Array;
  private readonly low: Int32Array;
  /** Per band: where each of the 65,536 buckets starts in `members` (65,537 offsets). */
  private readonly offsets: Int32Array[] = [];
  private readonly members: Int32Array[] = [];
  /** `seenBy[j] === query` when hash j was already checked during lookup number `query`. */
  private readonly seenBy: Int32Array;
  private query = 0;

  constructor(readonly hashes: readonly StoredImageHash[]) {
    const n = hashes.length;
    this.high = new Int32Array(n);
    this.low = new Int32Array(n);
    this.seenBy = new Int32Array(n);
    const bands = Array.from({ length: BAND_COUNT }, () => new Uint16Array(n));
    hashes.forEach((hash, i) => {
      const [h, l] = halvesOf(hash.phash);
      this.high[i] = h;
      this.low[i] = l;
      bands[0]![i] = h >>> 16;
      bands[1]![i] = h & 0xffff;
      bands[2]![i] = l >>> 16;
      bands[3]![i] = l & 0xffff;
    });
    for (const values of bands) {
      const offsets = new Int32Array(65537);
      for (const v of values) offsets[v + 1]!++;
      for (let v = 0; v < 65536; v++) offsets[v + 1]! += offsets[v]!;
      const fill = offsets.slice(0, 65536);
      const members = new Int32Array(n);
      values.forEach((v, i) => {
        members[fill[v]!++] = i;
      });
      this.offsets.push(offsets);
      this.members.push(members);
    }
  }

  /** Indexes (into `hashes`) of the hashes within `maxDistance` bits of hash `i`, itself excluded, with their distances. */
  near(i: number, maxDistance: number): { index: number; distance: number }[] {
    const found: { index: number; distance: number }[] = [];
    const masks = flipMasks(bandRadius(maxDistance));
    const high = this.high[i]!;
    const low = this.low[i]!;
    const own = [high >>> 16, high & 0xffff, low >>> 16, low & 0xffff];
    const stamp = ++this.query;
    this.seenBy[i] = stamp;
    for (let band = 0; band < BAND_COUNT; band++) {
      const offsets = this.offsets[band]!;
      const members = this.members[band]!;
      for (const mask of masks) {
        const value = own[band]! ^ mask;
        for (let k = offsets[value]!, end = offsets[value + 1]!; k < end; k++) {
          const j = members[k]!;
          if (this.seenBy[j] === stamp) continue;
          this.seenBy[j] = stamp;
          const distance = distanceOfHalves(high, low, this.high[j]!, this.low[j]!);
          if (distance <= maxDistance) found.push({ index: j, distance });
        }
      }
    }
    return found;
  }
}

/** An item's stored hashes. */
export function itemImageHashes(db: ReadableDB, itemId: string): StoredImageHash[] {
  return (
    db
      .prepare(`SELECT ${COLUMNS} FROM image_hashes WHERE item_id = ? ORDER BY role, sha256`)
      .all(itemId) as HashRow[]
  ).map(fromRow);
}

/** Every stored hash (for the groups), in a stable order. */
export function allImageHashes(db: ReadableDB): StoredImageHash[] {
  return (db.prepare(`SELECT ${COLUMNS} FROM image_hashes ORDER BY item_id, sha256`).all() as HashRow[]).map(
    fromRow,
  );
}

/** The page images (by payload SHA-256) shown on `minPages` or more different pages, with how many. */
export function siteFurniture(db: ReadableDB, minPages = SITE_FURNITURE_PAGES): Map<string, number> {
  const rows = db
    .prepare(
      `SELECT h.sha256, count(DISTINCT coalesce(i.url, i.source)) AS pages
       FROM image_hashes h JOIN items i ON i.id = h.item_id
       WHERE h.role = ? GROUP BY h.sha256 HAVING pages >= ?`,
    )
    .all(PAGE_IMAGE_ROLE, minPages) as { sha256: string; pages: number }[];
  return new Map(rows.map((r) => [r.sha256, r.pages]));
}

/** Replaces an item's hashes (it may have been hashed before). */
export function replaceItemImageHashes(
  db: WritableDB,
  itemId: string,
  rows: readonly Omit<StoredImageHash, 'itemId'>[],
): void {
  cachedStatement(db, 'DELETE FROM image_hashes WHERE item_id = ?').run(itemId);
  const insert = cachedStatement(
    db,
    `INSERT OR REPLACE INTO image_hashes
       (item_id, sha256, role, phash, band0, band1, band2, band3, uri, warc_sha256, record_offset)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const row of rows) {
    insert.run(
      itemId,
      row.sha256,
      row.role,
      row.phash,
      ...bandsOf(row.phash),
      row.page?.uri ?? null,
      row.page?.warcSha256 ?? null,
      row.page?.recordOffset ?? null,
    );
  }
}

/** Replaces an item's WARC scan summary (none: the item has no WARC). */
export function replacePageImageScan(db: WritableDB, itemId: string, scan: PageImageScan | null): void {
  cachedStatement(db, 'DELETE FROM page_image_scans WHERE item_id = ?').run(itemId);
  if (!scan) return;
  cachedStatement(
    db,
    'INSERT INTO page_image_scans (item_id, found, hashed, small, unreadable, capped, note) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ).run(itemId, scan.found, scan.hashed, scan.small, scan.unreadable, scan.capped ? 1 : 0, scan.note);
}

/** An item's WARC scan summary, or null when it has none. */
export function pageImageScan(db: ReadableDB, itemId: string): PageImageScan | null {
  const row = db
    .prepare('SELECT found, hashed, small, unreadable, capped, note FROM page_image_scans WHERE item_id = ?')
    .get(itemId) as (Omit<PageImageScan, 'capped'> & { capped: number }) | undefined;
  return row ? { ...row, capped: row.capped === 1 } : null;
}

/** Forgets every hash and scan summary (before a rebuild). */
export function clearImageHashes(db: WritableDB): void {
  db.exec('DELETE FROM image_hashes; DELETE FROM page_image_scans');
}
