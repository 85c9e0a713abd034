import type { Sharp } from 'sharp';
import { libraryOnFirstUse } from '../capture/engine/load-library.js';
import type { Box } from './ocr-engine.js';

const sharp = libraryOnFirstUse<typeof import('sharp')['default']>('sharp');

/** Text tilted less than this (radians, about 1.7°) is read as it is: Tesseract copes. */
export const MIN_PICTURE_TILT = 0.03;
/** The tilts tried (degrees either way, in steps of one): ads set text at up to about 10°. */
const MAX_TILT_DEGREES = 10;
/** A step in grey level (0–255) between neighbouring pixels that counts as a stroke's side. */
const EDGE_STEP = 40;
/** The picture is measured at this width at most (the estimate needs rows of text, not detail). */
const MEASURE_WIDTH = 480;

/**
 * The tilt of a picture's text (radians, positive: descending to the right), by projection
 * profiles over the block of the lines a first reading found: its strokes' sides turned by each
 * angle in turn, the angle
 * whose rows are most uneven (lines of text and the gaps between them) wins. An ad's text is often
 * set at an angle, and Tesseract reads Arabic and Persian digits on a line tilted 6° as junk; its
 * own line baselines on such a picture said about 1°.
 */
export async function textTilt(picture: Sharp, lines: readonly Box[]): Promise<number> {
  const block = textBlock(lines, await picture.metadata());
  if (!block) return 0;
  const grey = await picture
    .clone()
    .extract(block)
    .resize({ width: MEASURE_WIDTH, withoutEnlargement: true })
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const edges = { data: strokeEdges(grey.data, grey.info.width, grey.info.height), info: grey.info };
  let best = { degrees: 0, score: -1 };
  for (let degrees = -MAX_TILT_DEGREES; degrees <= MAX_TILT_DEGREES; degrees++) {
    const turned = await sharp()(edges.data, {
      raw: { width: edges.info.width, height: edges.info.height, channels: 1 },
    })
      .rotate(-degrees, { background: { r: 0, g: 0, b: 0 } })
      .extractChannel(0) // a background colour makes the turned picture RGB
      .raw()
      .toBuffer({ resolveWithObject: true });
    const score = unevenness(turned.data, turned.info.width, turned.info.height);
    if (score > best.score) best = { degrees, score };
  }
  return (best.degrees * Math.PI) / 180;
}

/** The rectangle holding every line, with a margin of a line's height, or null when there are none. */
function textBlock(lines: readonly Box[], size: { width?: number; height?: number }) {
  if (lines.length === 0 || !size.width || !size.height) return null;
  const margin = Math.max(...lines.map((l) => l.y1 - l.y0));
  const left = Math.max(0, Math.min(...lines.map((l) => l.x0)) - margin);
  const top = Math.max(0, Math.min(...lines.map((l) => l.y0)) - margin);
  const right = Math.min(size.width, Math.max(...lines.map((l) => l.x1)) + margin);
  const bottom = Math.min(size.height, Math.max(...lines.map((l) => l.y1)) + margin);
  if (right - left < 16 || bottom - top < 16) return null;
  return { left, top, width: right - left, height: bottom - top };
}

/**
 * Where the brightness changes sharply from one pixel to the next along a row: the sides of the
 * letters' strokes, dark text on light or light on dark alike (a mask, 255 or 0).
 */
function strokeEdges(grey: Buffer, width: number, height: number): Buffer {
  const mask = Buffer.alloc(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 1; x < width; x++) {
      const i = y * width + x;
      if (Math.abs(grey[i]! - grey[i - 1]!) > EDGE_STEP) mask[i] = 255;
    }
  return mask;
}

/** How unevenly a mask's pixels fall into rows (the sum of squared row counts): highest where lines of text are level. */
function unevenness(mask: Buffer, width: number, height: number): number {
  let score = 0;
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) if (mask[y * width + x]! > 0) row++;
    score += row * row;
  }
  return score;
}

/** A picture turned level, and how to take a box on it back to the picture as it was. */
export interface Levelled {
  /** The levelled picture's greyscale pixels (one channel). */
  readonly raw: Buffer;
  readonly width: number;
  readonly height: number;
  /** A box on the levelled picture as a box on the original (the rotated corners' bounds). */
  back(box: Box): Box;
}

/**
 * The greyscale picture (`width` × `height`) turned by -tilt so its text is level: the canvas
 * grows to hold the turned picture, the corners it opens filled with the picture's mean grey.
 */
export async function levelPicture(
  picture: Sharp,
  width: number,
  height: number,
  tilt: number,
): Promise<Levelled> {
  const { channels } = await picture.clone().stats();
  const grey = Math.round(channels[0]?.mean ?? 255);
  const degrees = (-tilt * 180) / Math.PI;
  const { data, info } = await picture
    .rotate(degrees, { background: { r: grey, g: grey, b: grey } })
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  // sharp turns clockwise by `degrees` about the centre; back is the other way, centre to centre.
  const cos = Math.cos(tilt);
  const sin = Math.sin(tilt);
  const back = (box: Box): Box => {
    const xs: number[] = [];
    const ys: number[] = [];
    for (const [x, y] of [
      [box.x0, box.y0],
      [box.x1, box.y0],
      [box.x0, box.y1],
      [box.x1, box.y1],
    ] as const) {
      const dx = x - info.width / 2;
      const dy = y - info.height / 2;
      xs.push(dx * cos - dy * sin + width / 2);
      ys.push(dx * sin + dy * cos + height / 2);
    }
    const clamp = (v: number, max: number) => Math.min(max, Math.max(0, Math.round(v)));
    return {
      x0: clamp(Math.min(...xs), width),
      y0: clamp(Math.min(...ys), height),
      x1: clamp(Math.max(...xs), width),
      y1: clamp(Math.max(...ys), height),
    };
  };
  return { raw: data, width: info.width, height: info.height, back };
}
