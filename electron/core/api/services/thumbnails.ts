import sharp from 'sharp';
import type { PageImageLocation } from '../../../../shared/media.js';
import { readWarcImage } from '../../media/page-images.js';

const WIDTH = 96;
const HEIGHT = 64;
const CAPACITY = 2000;

/**
 * Small thumbnails for the evidence list, made on demand from the stored image and kept in memory
 * (keyed by the blob's hash, so a thumbnail never goes stale). Nothing is written to the store.
 */
export class ThumbnailCache {
  private readonly entries = new Map<string, Promise<string | null>>();

  /** A data: URI of the image's top, or null when the file is not an image sharp can read. */
  get(sha256: string, file: string): Promise<string | null> {
    return this.cached(sha256, () => render(file, 'top'));
  }

  /**
   * A data: URI of a page image (a photo inside a captured page), read from the capture's WARC
   * at its record's offset and used only when its bytes hash to the stored SHA-256; null when the
   * record is missing or differs (and that null is not kept, so a restored WARC shows it again).
   */
  getPageImage(sha256: string, warcFile: string, page: PageImageLocation): Promise<string | null> {
    const key = `${page.warcSha256}@${page.recordOffset}:${sha256}`;
    const made = this.cached(key, async () => {
      const payload = await readWarcImage(warcFile, page.recordOffset, { sha256, uri: page.uri });
      return payload ? render(payload, 'centre') : null;
    });
    void made.then((uri) => {
      if (uri === null) this.entries.delete(key);
    });
    return made;
  }

  private cached(key: string, make: () => Promise<string | null>): Promise<string | null> {
    const cached = this.entries.get(key);
    if (cached) {
      // Map keeps insertion order: re-inserting makes this the most recently used.
      this.entries.delete(key);
      this.entries.set(key, cached);
      return cached;
    }
    const made = make();
    this.entries.set(key, made);
    if (this.entries.size > CAPACITY) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return made;
  }
}

/** A screenshot keeps its top (the post's head); a photo its centre. */
async function render(source: string | Buffer, position: 'top' | 'centre'): Promise<string | null> {
  try {
    const png = await sharp(source, { limitInputPixels: 2 ** 31, failOn: 'none' })
      .resize(WIDTH * 2, HEIGHT * 2, { fit: 'cover', position })
      .webp({ quality: 70 })
      .toBuffer();
    return `data:image/webp;base64,${png.toString('base64')}`;
  } catch {
    return null;
  }
}

/** The one cache the API's handlers share (the evidence list, similar images, duplicate groups). */
export const thumbnailCache = new ThumbnailCache();
