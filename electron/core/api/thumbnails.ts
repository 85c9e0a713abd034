import sharp from 'sharp';

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
    const cached = this.entries.get(sha256);
    if (cached) {
      // Map keeps insertion order: re-inserting makes this the most recently used.
      this.entries.delete(sha256);
      this.entries.set(sha256, cached);
      return cached;
    }
    const made = render(file);
    this.entries.set(sha256, made);
    if (this.entries.size > CAPACITY) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return made;
  }
}

async function render(file: string): Promise<string | null> {
  try {
    const png = await sharp(file, { limitInputPixels: 2 ** 31, failOn: 'none' })
      .resize(WIDTH * 2, HEIGHT * 2, { fit: 'cover', position: 'top' })
      .webp({ quality: 70 })
      .toBuffer();
    return `data:image/webp;base64,${png.toString('base64')}`;
  } catch {
    return null;
  }
}

/** The one cache the API's handlers share (the evidence list, similar images, duplicate groups). */
export const thumbnailCache = new ThumbnailCache();
