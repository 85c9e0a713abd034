import type { ArtifactRecord } from '../../../shared/domain.js';
import type { PageImageScan } from '../../../shared/media.js';
import type { Deriver } from '../derive/deriver.js';
import {
  clearImageHashes,
  PAGE_IMAGE_ROLE,
  replaceItemImageHashes,
  replacePageImageScan,
  type StoredImageHash,
} from './image-hash-queries.js';
import { warcImages } from './page-images.js';
import { imageDimensions, perceptualHashOfImage } from './perceptual-hash.js';

/** Media types of imported pictures that are hashed (what sharp decodes; HEIC only where its libheif can). */
const HASHED_ORIGINAL_TYPES = ['jpeg', 'png', 'webp', 'gif', 'avif', 'tiff', 'heic', 'heif'].map(
  (subtype) => `image/${subtype}`,
);

/** Page images hashed per item at most: a feed scrolled for long holds thousands of thumbnails. */
export const MAX_PAGE_IMAGES = 300;
/** A page image narrower or lower than this (px) is an icon, a button or an avatar dot, not a photo. */
export const MIN_PAGE_IMAGE_SIDE = 64;
/** A page image smaller than this (bytes) is a spacer, a sprite or a flat badge. */
export const MIN_PAGE_IMAGE_BYTES = 2048;

/** The artifacts of an item that are pictures: a capture's screenshots, an imported image. */
export function hashableImages(artifacts: readonly ArtifactRecord[]): ArtifactRecord[] {
  const seen = new Set<string>();
  return artifacts.filter((a) => {
    const image =
      ((a.role === 'screenshot' || a.role === 'viewport') && a.mediaType.startsWith('image/')) ||
      (a.role === 'original' && HASHED_ORIGINAL_TYPES.includes(a.mediaType));
    if (!image || seen.has(a.sha256)) return false;
    seen.add(a.sha256);
    return true;
  });
}

/** Whether an item has anything to hash: a picture artifact, or a WARC that may hold page images. */
export function hasPictures(artifacts: readonly ArtifactRecord[]): boolean {
  return hashableImages(artifacts).length > 0 || artifacts.some((a) => a.role === 'warc');
}

/**
 * `hasPictures` as an SQL condition on an items row `i` (a deriver's `appliesTo`): the same rule
 * over the artifacts table, so that a deriver of pictures neither visits nor counts as waiting an
 * item that has none (a text file, a PDF).
 */
export const ITEM_HAS_PICTURES_SQL = `EXISTS (SELECT 1 FROM artifacts a WHERE a.item_id = i.id AND (
  a.role = 'warc'
  OR (a.role IN ('screenshot', 'viewport') AND substr(a.media_type, 1, 6) = 'image/')
  OR (a.role = 'original' AND a.media_type IN (${HASHED_ORIGINAL_TYPES.map((t) => `'${t}'`).join(', ')}))))`;

type HashRow = Omit<StoredImageHash, 'itemId'>;

/** The hashes of an item's pictures and, for a capture, what the walk of its WARC found. */
export interface ItemImageHashes {
  readonly rows: HashRow[];
  readonly scan: PageImageScan | null;
}

/**
 * The perceptual hashes of the photos inside captured pages: every distinct image response of
 * the WARCs (by payload SHA-256, `skip` holding those already hashed as artifacts), in file order,
 * leaving out icons and spacers (under MIN_PAGE_IMAGE_SIDE px or MIN_PAGE_IMAGE_BYTES) and flat
 * pictures, at most `maxImages`. A picture that cannot be read or decoded is counted and skipped;
 * the walk goes on past it, and past a damaged record (see warcImages).
 */
export async function hashPageImages(
  warcs: readonly { readonly sha256: string; readonly file: string }[],
  options: { readonly maxImages?: number; readonly skip?: ReadonlySet<string> } = {},
): Promise<ItemImageHashes & { readonly scan: PageImageScan }> {
  const maxImages = options.maxImages ?? MAX_PAGE_IMAGES;
  const seen = new Set(options.skip);
  const rows: HashRow[] = [];
  const counts = { found: 0, small: 0, unreadable: 0 };
  const unreadable: string[] = [];
  const notes: string[] = [];
  let capped = false;
  for (const warc of warcs) {
    const images = warcImages(warc.file, (problem) => {
      if (problem.kind === 'unreadable') {
        counts.found++;
        counts.unreadable++;
        unreadable.push(`${problem.uri}: ${problem.reason}`);
      } else {
        notes.push(
          problem.resumedAt === null
            ? `the WARC is damaged from byte ${problem.recordOffset}: its images after that were not read`
            : `the WARC is damaged at byte ${problem.recordOffset}: read on from the next record, at byte ${problem.resumedAt}`,
        );
      }
    });
    for await (const image of images) {
      counts.found++;
      if (seen.has(image.sha256)) continue;
      seen.add(image.sha256);
      if (image.payload.byteLength < MIN_PAGE_IMAGE_BYTES) {
        counts.small++;
        continue;
      }
      if (rows.length >= maxImages) {
        capped = true;
        break;
      }
      try {
        const { width, height } = await imageDimensions(image.payload);
        if (Math.min(width, height) < MIN_PAGE_IMAGE_SIDE) {
          counts.small++;
          continue;
        }
        const phash = await perceptualHashOfImage(image.payload);
        if (!phash) continue;
        rows.push({
          sha256: image.sha256,
          role: PAGE_IMAGE_ROLE,
          phash,
          page: { uri: image.uri, warcSha256: warc.sha256, recordOffset: image.recordOffset },
        });
      } catch (error) {
        counts.unreadable++;
        unreadable.push(`${image.uri}: ${firstLine(error)}`);
      }
    }
    if (capped) break;
  }
  if (capped) notes.unshift(`only the first ${maxImages} page images were hashed (the cap per item)`);
  if (unreadable.length > 0) {
    const shown = unreadable.slice(0, 3).join('; ');
    notes.push(
      `${unreadable.length} page image${unreadable.length === 1 ? '' : 's'} could not be read: ${shown}${unreadable.length > 3 ? '; …' : ''}`,
    );
  }
  return {
    rows,
    scan: { ...counts, hashed: rows.length, capped, note: notes.length > 0 ? notes.join('. ') : null },
  };
}

/** The first line of an error's message (libvips repeats its complaint line after line). */
function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n', 1)[0]!.trim();
}

/**
 * `image-hash`: the perceptual hash of each picture of an item (migrations 008 and 010), for
 * "similar images" and the groups of near-duplicates: an imported image, a capture's screenshots
 * and the photos inside the captured page (its WARC's image responses, see hashPageImages). A
 * picture that cannot be decoded is skipped; the item fails (its error recorded by the framework)
 * only when none of its pictures could be hashed. Low-information pictures (blank and near-blank
 * pages, perceptual-hash.ts LOW_INFORMATION_SHARE) get no hash: they would match one another
 * whatever they show. Version 2 added page images; 3 leaves out near-blank pictures too.
 */
export const imageHashDeriver: Deriver<ItemImageHashes> = {
  name: 'image-hash',
  version: 3,
  async extract(item) {
    const rows: HashRow[] = [];
    const failures: string[] = [];
    const artifacts = hashableImages(item.record.artifacts);
    for (const artifact of artifacts) {
      try {
        const phash = await perceptualHashOfImage(item.artifactPath(artifact.sha256));
        if (phash) rows.push({ sha256: artifact.sha256, role: artifact.role, phash });
      } catch (error) {
        failures.push(`${artifact.name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    const warcs = item.record.artifacts.filter((a) => a.role === 'warc');
    let scan: PageImageScan | null = null;
    if (warcs.length > 0) {
      try {
        const pages = await hashPageImages(
          warcs.map((w) => ({ sha256: w.sha256, file: item.artifactPath(w.sha256) })),
          { skip: new Set(artifacts.map((a) => a.sha256)) },
        );
        rows.push(...pages.rows);
        scan = pages.scan;
      } catch (error) {
        const message = `the WARC could not be read: ${error instanceof Error ? error.message : String(error)}`;
        failures.push(message);
        scan = { found: 0, hashed: 0, small: 0, unreadable: 0, capped: false, note: message };
      }
    }
    if (failures.length > 0 && rows.length === 0) {
      throw new Error(`no picture could be hashed (${failures.join('; ')})`);
    }
    return { rows, scan };
  },
  write(db, item, { rows, scan }) {
    replaceItemImageHashes(db, item.id, rows);
    replacePageImageScan(db, item.id, scan);
  },
  clear(db) {
    clearImageHashes(db);
  },
};
