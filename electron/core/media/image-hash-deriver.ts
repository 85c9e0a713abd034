import type { ArtifactRecord } from '../../../shared/domain.js';
import type { Deriver } from '../derive/deriver.js';
import { clearImageHashes, replaceItemImageHashes, type StoredImageHash } from './image-hash-queries.js';
import { perceptualHashOfFile } from './perceptual-hash.js';

/** Media types of imported pictures that are hashed (what sharp decodes; HEIC only where its libheif can). */
const HASHED_ORIGINALS = /^image\/(jpeg|png|webp|gif|avif|tiff|heic|heif)$/;

/** The artifacts of an item that are pictures: a capture's screenshots, an imported image. */
export function hashableImages(artifacts: readonly ArtifactRecord[]): ArtifactRecord[] {
  const seen = new Set<string>();
  return artifacts.filter((a) => {
    const image =
      ((a.role === 'screenshot' || a.role === 'viewport') && a.mediaType.startsWith('image/')) ||
      (a.role === 'original' && HASHED_ORIGINALS.test(a.mediaType));
    if (!image || seen.has(a.sha256)) return false;
    seen.add(a.sha256);
    return true;
  });
}

/**
 * `image-hash`: the perceptual hash of each picture of an item (migration 008), for "similar
 * images" and the groups of near-duplicates. A picture that cannot be decoded is skipped; the item
 * fails (its error recorded by the framework) only when none of its pictures could be hashed.
 * Flat pictures (a blank page) get no hash: they would match every other flat picture.
 */
export const imageHashDeriver: Deriver<Omit<StoredImageHash, 'itemId'>[]> = {
  name: 'image-hash',
  version: 1,
  async extract(item) {
    const rows: Omit<StoredImageHash, 'itemId'>[] = [];
    const failures: string[] = [];
    for (const artifact of hashableImages(item.record.artifacts)) {
      try {
        const phash = await perceptualHashOfFile(item.artifactPath(artifact.sha256));
        if (phash) rows.push({ sha256: artifact.sha256, role: artifact.role, phash });
      } catch (error) {
        failures.push(`${artifact.name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (failures.length > 0 && rows.length === 0) {
      throw new Error(`no picture could be hashed (${failures.join('; ')})`);
    }
    return rows;
  },
  write(db, item, rows) {
    replaceItemImageHashes(db, item.id, rows);
  },
  clear(db) {
    clearImageHashes(db);
  },
};
