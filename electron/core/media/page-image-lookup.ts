import type { ItemSummary } from '../../../shared/domain.js';
import type { EvidenceStore } from '../store/evidence-store.js';
import { PAGE_IMAGE_ROLE } from './image-hash-queries.js';
import { readWarcImage, warcImages } from './page-images.js';

/**
 * The bytes of one picture of a captured page (an image response of the item's WARC), checked
 * against its SHA-256; null when the item holds none with that hash. Where image hashing recorded
 * the picture's record, only that record is read; else the item's WARCs are walked (a picture too
 * plain to hash, read by OCR all the same).
 */
export async function pageImageOfItem(
  store: EvidenceStore,
  item: ItemSummary,
  sha256: string,
): Promise<Buffer | null> {
  const known = store.db
    .prepare(
      `SELECT uri, warc_sha256 AS warcSha256, record_offset AS recordOffset FROM image_hashes
       WHERE item_id = ? AND sha256 = ? AND role = ?`,
    )
    .get(item.id, sha256, PAGE_IMAGE_ROLE) as
    | { uri: string; warcSha256: string; recordOffset: number }
    | undefined;
  if (known) {
    const bytes = await readWarcImage(store.blobs.pathOf(known.warcSha256), known.recordOffset, {
      sha256,
      uri: known.uri,
    });
    if (bytes) return bytes;
  }
  for (const warc of item.artifacts.filter((a) => a.role === 'warc')) {
    for await (const image of warcImages(store.blobs.pathOf(warc.sha256), () => undefined)) {
      if (image.sha256 === sha256) return image.payload;
    }
  }
  return null;
}
