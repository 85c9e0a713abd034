import { libraryOnFirstUse } from '../capture/engine/load-library.js';
import type { Box, OcrEngine, RecognisedLine } from './ocr-engine.js';
import { DIRECTION_MARK } from './picture-entities.js';

const sharp = libraryOnFirstUse<typeof import('sharp')['default']>('sharp');

/** Arabic and Persian letters, both Eastern digit ranges, and what a number is written with. */
const ARABIC_LINE_CHARACTERS =
  'ءآأؤإئابةتثجحخدذرزسشصضطظعغفقكلمنهوىيپچژکگی' + '٠١٢٣٤٥٦٧٨٩' + '۰۱۲۳۴۵۶۷۸۹' + ' :+';
const DIRECTION_MARKS = new RegExp(DIRECTION_MARK.source, 'g');
/** Arabic or Persian letters. */
const ARABIC_LETTER = /[\u0621-\u064A\u067E\u0686\u0698\u06A9\u06AF\u06CC]/;
/** A digit of any script, or a Latin letter: what Eastern digits come back as when misread. */
const DIGIT_OR_LATIN = /[\p{Nd}A-Za-z]/u;
/** Lines re-read per strip at most (an ad has a few; a page of Arabic text would have hundreds). */
const MAX_LINES = 8;
/** A line is re-read this many times taller (capped at MAX_LINE_HEIGHT px). */
const SCALE = 2;
const MAX_LINE_HEIGHT = 160;
/** Lines tilted less than this (radians, about 1°) are read as they are. */
const MIN_TILT = 0.017;
/** Readings less sure than this (0–100) are dropped, as in the first pass. */
const MIN_CONFIDENCE = 40;

/** A line read in one pass, with the picture it was read from (the plain or the white-text one). */
export interface ReadLine {
  readonly line: RecognisedLine;
  /** The picture the line was read from, as given to Tesseract (PNG). */
  readonly picture: Buffer;
  /**
   * The line's box on `picture`, joined with the boxes the other pass of the same picture gave it
   * (one pass often cuts a line short).
   */
  readonly reach: Box;
  /** A box on `picture` as a box on the strip read (`picture` may be a levelled copy). */
  back(box: Box): Box;
}

/**
 * A second reading of the Arabic-script lines that hold digits (or Latin letters, which is what
 * Eastern Arabic and Persian digits come back as among four languages' models): each line cut
 * out, enlarged, and read as one line with only Arabic and Persian letters and digits allowed.
 * At the first pass's size, with English and French competing, a number such as ٠٩٣ ٣٢٨ ٥٣١٤ reads
 * as "rrp .qp 0712"; so enlarged and constrained, usually right or one digit off. A reading that
 * differs from the first is given as another line with the same box, for the investigator to
 * judge: numbers in those digits are only ever candidates.
 */
export async function rereadArabicLines(
  engine: OcrEngine,
  lines: readonly ReadLine[],
): Promise<RecognisedLine[]> {
  const chosen = lines
    .filter(({ line }) => ARABIC_LETTER.test(line.text) && DIGIT_OR_LATIN.test(line.text))
    .slice(0, MAX_LINES);
  const found: RecognisedLine[] = [];
  for (const { line, picture, reach, back } of chosen) {
    const crop = await cropped(picture, reach, line.tilt ?? 0);
    if (!crop) continue;
    const read = await engine.recognise(crop, {
      tessedit_pageseg_mode: '7', // one line of text
      tessedit_char_whitelist: ARABIC_LINE_CHARACTERS,
    });
    const text = logicalOrder(
      read
        .map((l) => l.text)
        .join(' ')
        .trim(),
      line.text,
    );
    const confidence = Math.min(...read.map((l) => l.confidence));
    if (!/\p{Nd}/u.test(text) || confidence < MIN_CONFIDENCE || text === line.text.trim()) continue;
    found.push({ text, confidence, box: back(reach) });
  }
  return found;
}

/**
 * A reading put in the order the first reading had: read alone, a right-to-left line sometimes
 * comes back in visual order ("٩۳۱۵ ۳۵۱ ۰۹۱۳ تماس:" for "تماس: ۰۹۱۳ ۳۵۱ ٩۳۱۵"); when the first
 * reading begins with a word in Arabic letters and this one ends with one instead, its words
 * (the number's groups among them) are turned round.
 */
function logicalOrder(text: string, first: string): string {
  const words = text.replace(DIRECTION_MARKS, '').split(/\s+/).filter(Boolean);
  const firstWord = first.replace(DIRECTION_MARKS, '').trim().split(/\s+/)[0] ?? '';
  const visual =
    ARABIC_LETTER.test(firstWord) &&
    ARABIC_LETTER.test(words.at(-1) ?? '') &&
    !ARABIC_LETTER.test(words[0] ?? '');
  return visual ? words.reverse().join(' ') : text;
}

/** The box's part of the picture with a margin, turned level and enlarged; null when too small to read. */
async function cropped(picture: Buffer, box: Box, tilt: number): Promise<Buffer | null> {
  const { width = 0, height = 0 } = await sharp()(picture).metadata();
  const boxWidth = box.x1 - box.x0;
  const boxHeight = box.y1 - box.y0;
  if (boxHeight < 6 || boxWidth < 6) return null;
  // A tilted line's box is taller than its letters: the letters' height is what is left of it.
  const lineHeight = Math.max(boxHeight * 0.3, boxHeight - boxWidth * Math.abs(Math.sin(tilt)));
  const margin = Math.round(lineHeight * 0.25);
  const left = Math.max(0, box.x0 - margin);
  const top = Math.max(0, box.y0 - margin);
  const right = Math.min(width, box.x1 + margin);
  const bottom = Math.min(height, box.y1 + margin);
  const scale = Math.max(1, Math.min(SCALE, MAX_LINE_HEIGHT / lineHeight));
  const cut = await sharp()(picture)
    .extract({ left, top, width: right - left, height: bottom - top })
    .resize({ width: Math.round((right - left) * scale), kernel: 'cubic' })
    .png({ compressionLevel: 1 })
    .toBuffer();
  if (Math.abs(tilt) < MIN_TILT) return cut;
  // Level, then only the band of this line: the corners of a tilted box hold parts of the lines around it.
  const level = sharp()(cut).rotate((-tilt * 180) / Math.PI, { background: await edgeColour(cut) });
  const turned = await level.png({ compressionLevel: 1 }).toBuffer({ resolveWithObject: true });
  const band = Math.min(turned.info.height, Math.round((lineHeight + 2 * margin) * scale));
  return sharp()(turned.data)
    .extract({
      left: 0,
      top: Math.round((turned.info.height - band) / 2),
      width: turned.info.width,
      height: band,
    })
    .png({ compressionLevel: 1 })
    .toBuffer();
}

/** The grey of a picture's top-left pixel: what the corners a rotation opens are filled with. */
async function edgeColour(picture: Buffer): Promise<{ r: number; g: number; b: number }> {
  const { data } = await sharp()(picture)
    .extract({ left: 0, top: 0, width: 1, height: 1 })
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const grey = data[0] ?? 255;
  return { r: grey, g: grey, b: grey };
}
