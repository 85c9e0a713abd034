import type { ArtifactRecord } from '../../../shared/domain.js';
import type { ItemPictureText, PictureReading } from '../../../shared/ocr.js';
import type { DerivableItem, Deriver } from '../derive/deriver.js';
import {
  hashableImages,
  ITEM_HAS_PICTURES_SQL,
  MIN_PAGE_IMAGE_BYTES,
  MIN_PAGE_IMAGE_SIDE,
} from '../media/image-hash-deriver.js';
import { PAGE_IMAGE_ROLE } from '../media/image-hash-queries.js';
import { warcImages } from '../media/page-images.js';
import { imageDimensions } from '../media/perceptual-hash.js';
import { normalizeForSearch } from '../search/normalize.js';
import { sharedOcrEngine } from './ocr-engine.js';
import { clearPictureText, replaceItemPictureText } from './ocr-queries.js';
import { readPicture } from './recognise-picture.js';

/** Pictures read per item at most (artifacts first, then page images in the WARC's order). */
export const MAX_OCR_PICTURES = 24;
/** A picture file larger than this is not read (a photo is a few MB; this is a scan or RAW). */
export const MAX_OCR_PICTURE_BYTES = 40 * 1024 * 1024;

/** One picture to read. */
interface Picture {
  readonly sha256: string;
  readonly role: string;
  readonly uri: string | null;
  bytes(): Promise<Buffer>;
  readonly size: number;
}

/**
 * `ocr`: the text of an item's pictures (migration 012): an imported picture, a capture's
 * screenshots, and the photos inside the captured page (its WARC's image responses, the walk image
 * hashing does). One picture at a time through the process's one Tesseract worker; cost bounded
 * by MAX_OCR_PICTURES, MAX_OCR_PICTURE_BYTES and readPicture's strips, and what was left unread is
 * said in the item's scan. A screenshot's lines that the captured page's own text already holds
 * are left out: they are the page's text, not text from a picture. It runs in the background
 * (after the other derivers: see `afterCommit`), and its new text makes search and entities derive
 * the item again.
 */
export const ocrDeriver: Deriver<ItemPictureText> & { readonly background: true } = {
  name: 'ocr',
  version: 1,
  background: true,
  // An item without pictures has nothing to read: it neither takes a place in a pass of 8 nor
  // counts as waiting for text recognition.
  appliesTo: ITEM_HAS_PICTURES_SQL,
  extract: recogniseItem,
  write: (db, item, text) => replaceItemPictureText(db, item, text),
  clear: clearPictureText,
};

async function recogniseItem(item: DerivableItem): Promise<ItemPictureText> {
  const artifacts = item.record.artifacts;
  const textArtifact = artifacts.find((a) => a.role === 'text');
  const pageText = textArtifact
    ? compact((await item.readArtifact(textArtifact.sha256)).toString('utf8'))
    : '';
  const engine = sharedOcrEngine();
  const pictures: PictureReading[] = [];
  const skipped: string[] = [];
  let considered = 0;
  for await (const picture of picturesOf(item, artifacts, skipped)) {
    considered++;
    if (pictures.length >= MAX_OCR_PICTURES) {
      skipped.push(`${label(picture)}: over the cap of ${MAX_OCR_PICTURES} pictures an item`);
      continue;
    }
    if (picture.size > MAX_OCR_PICTURE_BYTES) {
      skipped.push(`${label(picture)}: larger than ${MAX_OCR_PICTURE_BYTES / 1024 / 1024} MB`);
      continue;
    }
    try {
      const photo = picture.role === 'original' || picture.role === PAGE_IMAGE_ROLE;
      const read = await readPicture(engine, await picture.bytes(), { photo });
      const screenshot = picture.role === 'screenshot' || picture.role === 'viewport';
      // A screenshot shows the page's own text too: only what the page's text does not hold is from a picture.
      const lines =
        screenshot && pageText ? read.lines.filter((l) => !pageText.includes(compact(l.text))) : read.lines;
      pictures.push({
        sha256: picture.sha256,
        role: picture.role,
        uri: picture.uri,
        width: read.width,
        height: read.height,
        lines,
      });
      if (read.note) skipped.push(`${label(picture)}: ${read.note}`);
    } catch (error) {
      skipped.push(
        `${label(picture)}: ${(error instanceof Error ? error.message : String(error)).split('\n', 1)[0]}`,
      );
    }
  }
  const unread = considered - pictures.length;
  return {
    pictures,
    scan: {
      pictures: considered,
      read: pictures.length,
      skipped: unread,
      note: skipped.length > 0 ? skipped.slice(0, 5).join('; ') + (skipped.length > 5 ? '; …' : '') : null,
    },
  };
}

function label(picture: Picture): string {
  return picture.uri ?? `${picture.role} ${picture.sha256.slice(0, 12)}`;
}

/** Letters and digits only, normalised as search does: what survives OCR's spacing and punctuation. */
function compact(text: string): string {
  return normalizeForSearch(text).replace(/[^\p{L}\p{N}]+/gu, '');
}

/** The item's pictures: its picture artifacts, then the page images of its WARC (icons left out, said). */
async function* picturesOf(
  item: DerivableItem,
  artifacts: readonly ArtifactRecord[],
  skipped: string[],
): AsyncGenerator<Picture> {
  const seen = new Set<string>();
  for (const a of hashableImages(artifacts)) {
    seen.add(a.sha256);
    yield {
      sha256: a.sha256,
      role: a.role,
      uri: null,
      size: a.size,
      bytes: () => item.readArtifact(a.sha256),
    };
  }
  for (const warc of artifacts.filter((a) => a.role === 'warc')) {
    const images = warcImages(item.artifactPath(warc.sha256), (problem) => {
      if (problem.kind === 'unreadable') skipped.push(`${problem.uri}: ${problem.reason}`);
    });
    for await (const image of images) {
      if (seen.has(image.sha256) || image.payload.byteLength < MIN_PAGE_IMAGE_BYTES) continue;
      seen.add(image.sha256);
      const size = await imageDimensions(image.payload).catch(() => ({ width: 0, height: 0 }));
      if (Math.min(size.width, size.height) < MIN_PAGE_IMAGE_SIDE) continue; // an icon, not a picture
      const payload = image.payload;
      yield {
        sha256: image.sha256,
        role: PAGE_IMAGE_ROLE,
        uri: image.uri,
        size: payload.byteLength,
        bytes: async () => payload,
      };
    }
  }
}
