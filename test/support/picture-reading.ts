/**
 * A picture of an advert with a phone number in Latin digits and one in Persian digits, imported
 * as evidence, with the lines text recognition gives it stored as the `ocr` deriver stores them.
 * Tests of what the app does with recognised text (selectors, highlights, candidates) use this
 * reading as given: Tesseract itself is tested on real pictures in test/cli/picture-text.test.ts
 * and measured by bench/ocr, and reads Eastern digits with one digit wrong often enough that a
 * screen's test over a live reading would test OCR's luck, not the screen.
 */
import sharp from 'sharp';
import { importFile } from '../../electron/core/import/import-file.js';
import { replaceItemPictureText } from '../../electron/core/ocr/ocr-queries.js';
import type { EvidenceStore } from '../../electron/core/store/evidence-store.js';
import type { PictureLine } from '../../shared/ocr.js';

/** The picture's size. */
const WIDTH = 720;
const HEIGHT = 300;

/** The two lines as Tesseract reads them, with their boxes on the picture. */
export const AD_READING: readonly PictureLine[] = [
  { text: 'WhatsApp +218 91 234 5678', confidence: 91, box: { x0: 38, y0: 55, x1: 635, y1: 98 } },
  // One digit is not what the picture says (…6780 is drawn …6780; the selector is …6789).
  { text: '۰۹۱۲۳۴۵۶۷۸۰ تماس', confidence: 64, box: { x0: 38, y0: 165, x1: 385, y1: 208 } },
];

/** The picture: white text on a blue ground, the lines where AD_READING's boxes say. */
export function adPicture(): Promise<Buffer> {
  const line = (y: number, text: string) =>
    `<text x="40" y="${y}" font-family="DejaVu Sans" font-size="40" fill="white">${text}</text>`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}">
    <rect width="${WIDTH}" height="${HEIGHT}" fill="#1d4f73"/>
    ${line(90, 'WhatsApp +218 91 234 5678')}${line(200, '۰۹۱۲۳۴۵۶۷۸۰ تماس')}</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/**
 * Imports the picture (from `file`, written by the caller where it likes) into a case (id or number) and stores
 * AD_READING as its recognised text; the next index pass derives its entities and candidates.
 * Returns the item id and the picture's SHA-256.
 */
export async function importAdWithReading(
  store: EvidenceStore,
  caseRef: string,
  file: string,
): Promise<{ itemId: string; sha256: string }> {
  const item = await importFile(store, caseRef, file);
  const picture = item.artifacts[0]!;
  store.transaction((db) =>
    replaceItemPictureText(
      db,
      { id: item.id, caseId: item.caseId },
      {
        pictures: [
          {
            sha256: picture.sha256,
            role: 'original',
            uri: null,
            width: WIDTH,
            height: HEIGHT,
            lines: AD_READING,
          },
        ],
        scan: { pictures: 1, read: 1, skipped: 0, note: null },
      },
    ),
  );
  return { itemId: item.id, sha256: picture.sha256 };
}
