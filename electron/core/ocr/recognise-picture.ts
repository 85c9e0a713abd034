import type { Sharp } from 'sharp';
import { libraryOnFirstUse } from '../capture/engine/load-library.js';
import { type ReadLine, rereadArabicLines } from './arabic-line-pass.js';
import { levelPicture, MIN_PICTURE_TILT, textTilt } from './level-picture.js';
import type { Box, OcrEngine, RecognisedLine } from './ocr-engine.js';

const sharp = libraryOnFirstUse<typeof import('sharp')['default']>('sharp');

/** Wider pictures are scaled down to this before reading (ad text stays legible; cost stays bounded). */
const MAX_WIDTH = 2000;
/** A tall picture (a full-page screenshot) is read in strips this high (scaled px), overlapping a little. */
const STRIP_HEIGHT = 2000;
const STRIP_OVERLAP = 120;
/** Strips read per picture at most: below that, a page 20,000 px long is left unread and the note says so. */
export const MAX_STRIPS = 10;
/** Lines Tesseract is less sure of than this (0–100) are noise: photo texture read as letters. */
const MIN_LINE_CONFIDENCE = 40;
/** Grey level above which a pixel counts as white text in the photo pass. */
const WHITE_TEXT_LEVEL = 200;

/** What reading one picture gave. */
export interface PictureText {
  readonly width: number;
  readonly height: number;
  /** Lines in reading order, their boxes in the picture's own (upright) pixels. */
  readonly lines: readonly RecognisedLine[];
  /** What was left unread, or null. */
  readonly note: string | null;
}

/** How to read a picture. */
export interface ReadOptions {
  /**
   * Also read the picture for white text on a busy photo: near-white pixels kept and inverted
   * (a plain pass returns junk there). For photos; a screenshot's text is dark on light.
   */
  readonly photo: boolean;
}

/**
 * The text of a picture: upright, greyscale, scaled to at most MAX_WIDTH, read in strips of
 * STRIP_HEIGHT (at most MAX_STRIPS, the rest noted), each strip once plain (a photo smoothed first)
 * and, for a photo, once for white text (`merged`); then, for a photo only, tilted text is read
 * again levelled (`level-picture.ts`) and the Arabic-script lines holding digits are read again,
 * enlarged (`arabic-line-pass.ts`), a different reading kept as a second line over the same place.
 */
export async function readPicture(
  engine: OcrEngine,
  input: Buffer,
  options: ReadOptions,
): Promise<PictureText> {
  const upright = sharp()(input, { limitInputPixels: 400_000_000, sequentialRead: true }).rotate();
  const meta = await upright.metadata();
  const swap = (meta.orientation ?? 1) >= 5;
  const width = (swap ? meta.height : meta.width) ?? 0;
  const height = (swap ? meta.width : meta.height) ?? 0;
  if (width === 0 || height === 0) throw new Error('the picture has no size');
  const scale = Math.min(1, MAX_WIDTH / width);
  const scaledWidth = Math.max(1, Math.round(width * scale));
  const scaledHeight = Math.max(1, Math.round(height * scale));
  const grey = await sharp()(input, { limitInputPixels: 400_000_000 })
    .rotate()
    .resize({ width: scaledWidth, height: scaledHeight, fit: 'fill' })
    .greyscale()
    .raw()
    .toBuffer();
  const strips = stripsOf(scaledHeight);
  const lines: RecognisedLine[] = [];
  for (const strip of strips.slice(0, MAX_STRIPS)) {
    const region = () =>
      sharp()(grey, { raw: { width: scaledWidth, height: scaledHeight, channels: 1 } }).extract({
        left: 0,
        top: strip.top,
        width: scaledWidth,
        height: strip.height,
      });
    let read = await readRegion(engine, region, options.photo);
    // A screenshot's text is the page's, level and in the page's own text already (its pictures are
    // read as page images): the extra passes are for photos only, which bounds a long screenshot's cost.
    if (!options.photo) {
      lines.push(
        ...kept(
          read.map((r) => r.line),
          strip,
          scale,
          width,
          height,
        ),
      );
      continue;
    }
    // (A picture of the strip alone: an extract in the pipeline would clash with the next one.)
    const stripPixels = () =>
      region()
        .extractChannel(0) // raw output of one grey channel is otherwise widened to RGB
        .raw()
        .toBuffer()
        .then((raw) => sharp()(raw, { raw: { width: scaledWidth, height: strip.height, channels: 1 } }));
    const tilt = await textTilt(
      await stripPixels(),
      read.map((r) => r.line.box),
    );
    if (Math.abs(tilt) >= MIN_PICTURE_TILT) {
      // Tilted text is read again levelled; where both readings have a line, the levelled one.
      const level = await levelPicture(await stripPixels(), scaledWidth, strip.height, tilt);
      const raw = { raw: { width: level.width, height: level.height, channels: 1 as const } };
      const again = await readRegion(engine, () => sharp()(level.raw, raw), options.photo, level.back);
      read = [...again, ...read.filter((r) => !again.some((a) => overlap(a.line.box, r.line.box) > 0.5))];
    }
    const found = [...read.map((r) => r.line), ...(await rereadArabicLines(engine, read))];
    lines.push(...kept(found, strip, scale, width, height));
  }
  const lastRead = strips[Math.min(strips.length, MAX_STRIPS) - 1]!;
  const readTo = Math.round((lastRead.top + lastRead.height) / scale);
  const note =
    strips.length > MAX_STRIPS
      ? `only the top ${readTo} px of ${height} were read (at most ${MAX_STRIPS} strips a picture)`
      : null;
  return { width, height, lines, note };
}

/** A strip's lines that are its own (in the overlap, the strip holding a line's middle away from the seam has it), in the picture's pixels. */
function kept(
  found: readonly RecognisedLine[],
  strip: Strip,
  scale: number,
  width: number,
  height: number,
): RecognisedLine[] {
  return found
    .filter((line) => {
      const middle = (line.box.y0 + line.box.y1) / 2;
      return middle >= strip.keepFrom && middle < strip.keepTo;
    })
    .map((line) => ({ ...line, box: moved(line.box, strip.top, scale, width, height) }));
}

interface Strip {
  readonly top: number;
  readonly height: number;
  /** The part of the strip (in its own px) whose lines it keeps. */
  readonly keepFrom: number;
  readonly keepTo: number;
}

function stripsOf(height: number): Strip[] {
  const strips: Strip[] = [];
  for (let top = 0; top < height; top += STRIP_HEIGHT - STRIP_OVERLAP) {
    const stripHeight = Math.min(STRIP_HEIGHT, height - top);
    const last = top + stripHeight >= height;
    strips.push({
      top,
      height: stripHeight,
      keepFrom: top === 0 ? 0 : STRIP_OVERLAP / 2,
      keepTo: last ? stripHeight : stripHeight - STRIP_OVERLAP / 2,
    });
    if (last) break;
  }
  return strips;
}

/**
 * A region read once plain (a photo smoothed first) and, for a photo, once for white text, keeping
 * the surer of two lines that overlap; boxes taken to the strip by `back`.
 */
async function readRegion(
  engine: OcrEngine,
  region: () => Sharp,
  photo: boolean,
  back: (box: Box) => Box = (box) => box,
): Promise<ReadLine[]> {
  // A photo's grain (sensor noise, JPEG artefacts, a noisy backdrop) is smoothed first: Tesseract
  // reads every speck as a letter candidate, and a noisy 1,200 px picture took over 30 s.
  const plain = await readOnce(engine, photo ? region().median(3) : region(), back);
  if (!photo) return plain;
  // A median first: on a noisy photo, single bright pixels would become thousands of specks.
  const white = await readOnce(engine, region().median(3).threshold(WHITE_TEXT_LEVEL).negate(), back);
  return merged(plain, white);
}

async function readOnce(engine: OcrEngine, region: Sharp, back: (box: Box) => Box): Promise<ReadLine[]> {
  const picture = await region.png({ compressionLevel: 1 }).toBuffer();
  return (await engine.recognise(picture))
    .filter((line) => line.confidence >= MIN_LINE_CONFIDENCE)
    .map((line) => ({ line: { ...line, box: back(line.box) }, picture, reach: line.box, back }));
}

/**
 * The lines of the plain and the white-text reading of one strip: where two overlap, the white
 * reading when the line is light text (a share of its box is near-white), else the surer one;
 * reaching over both boxes (one reading often cuts a line short). Confidence alone chose a plain
 * reading of white text that had dropped half the number.
 */
async function merged(plain: readonly ReadLine[], white: readonly ReadLine[]): Promise<ReadLine[]> {
  const kept = [...plain];
  for (const read of white) {
    const rival = kept.findIndex((k) => overlap(k.line.box, read.line.box) > 0.5);
    if (rival < 0) {
      kept.push(read);
      continue;
    }
    const other = kept[rival]!;
    const light = await isLightText(read.picture, read.reach);
    const winner = light || read.line.confidence > other.line.confidence ? read : other;
    kept[rival] = { ...winner, reach: union(other.reach, read.reach) };
  }
  return kept.sort((a, b) => a.line.box.y0 - b.line.box.y0 || a.line.box.x0 - b.line.box.x0);
}

/**
 * Whether a line of the white-text picture (near-white pixels made black) is light text: letters
 * cover some of a line's box, never most of it, and dark text leaves nearly none there.
 */
async function isLightText(whitePicture: Buffer, box: Box): Promise<boolean> {
  const width = box.x1 - box.x0;
  const height = box.y1 - box.y0;
  if (width < 2 || height < 2) return false;
  const { data } = await sharp()(whitePicture)
    .extract({ left: box.x0, top: box.y0, width, height })
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true });
  let ink = 0;
  for (const v of data) if (v < 128) ink++;
  const share = ink / data.length;
  return share >= 0.08 && share <= 0.6;
}

function union(a: Box, b: Box): Box {
  return {
    x0: Math.min(a.x0, b.x0),
    y0: Math.min(a.y0, b.y0),
    x1: Math.max(a.x1, b.x1),
    y1: Math.max(a.y1, b.y1),
  };
}

/** The share of the smaller box that the two boxes have in common. */
function overlap(a: Box, b: Box): number {
  const w = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
  const h = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
  if (w <= 0 || h <= 0) return 0;
  const area = (box: Box) => Math.max(1, (box.x1 - box.x0) * (box.y1 - box.y0));
  return (w * h) / Math.min(area(a), area(b));
}

/** A box of a strip of the scaled picture, in the picture's own pixels. */
function moved(box: Box, top: number, scale: number, width: number, height: number): Box {
  const back = (v: number, max: number) => Math.min(max, Math.max(0, Math.round(v / scale)));
  return {
    x0: back(box.x0, width),
    y0: back(box.y0 + top, height),
    x1: back(box.x1, width),
    y1: back(box.y1 + top, height),
  };
}
