import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { levelPicture, MIN_PICTURE_TILT, textTilt } from '../../../electron/core/ocr/level-picture.js';

const DEGREE = Math.PI / 180;
/** Where the text block of `adAt` lies, as a first reading would find its lines. */
const TEXT_BLOCK = [{ x0: 100, y0: 140, x1: 700, y1: 360 }];

/** An 800 × 500 ad with three lines of dark text turned by `degrees` (clockwise) about its centre. */
function adAt(degrees: number) {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="500">
    <rect width="800" height="500" fill="#dde"/>
    <g transform="rotate(${degrees} 400 250)" font-family="DejaVu Sans" font-weight="bold" font-size="40" fill="#111">
      <text x="120" y="200">Safe trip to Italy</text>
      <text x="120" y="260">Call +39 358 060 6174</text>
      <text x="120" y="320">or +218 93 257 8565</text>
    </g></svg>`;
  return sharp(Buffer.from(svg)).greyscale();
}

describe('the tilt of a picture’s text', () => {
  it('is measured within a degree either way, so tilted text is read again levelled', async () => {
    expect((await textTilt(adAt(6), TEXT_BLOCK)) / DEGREE).toBeCloseTo(6, 0);
    expect((await textTilt(adAt(-8), TEXT_BLOCK)) / DEGREE).toBeCloseTo(-8, 0);
  });

  it('leaves level text as it is', async () => {
    expect(Math.abs(await textTilt(adAt(0), TEXT_BLOCK))).toBeLessThan(MIN_PICTURE_TILT);
  });

  it('takes a box on the levelled picture back to where it is on the picture as it was', async () => {
    const level = await levelPicture(adAt(6), 800, 500, 6 * DEGREE);
    expect(level.width).toBeGreaterThan(800);
    // The picture's centre stays its centre; a level line's box grows by the turn.
    const centre = level.back({
      x0: level.width / 2,
      y0: level.height / 2,
      x1: level.width / 2,
      y1: level.height / 2,
    });
    expect(centre).toEqual({ x0: 400, y0: 250, x1: 400, y1: 250 });
    const line = level.back({
      x0: level.width / 2 - 200,
      y0: level.height / 2 - 20,
      x1: level.width / 2 + 200,
      y1: level.height / 2 + 20,
    });
    expect(line.y1 - line.y0).toBeGreaterThan(40 + 400 * Math.sin(6 * DEGREE) - 2);
  });
});
