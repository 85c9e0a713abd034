/**
 * The full-resolution screenshot in the report: cut from the stored PNG into page-high tiles at a
 * readable scale, each its own PDF page, labelled "part k of n" with the SHA-256 of the image it
 * comes from. Tiles are made one at a time with sharp reading the PNG sequentially, so a 40,000 px
 * page is never decoded whole in memory at once. Tiles are lossless PNG: pixels as captured.
 */

/** Millimetres across the printable A4 width (210 mm less 12 mm margins on each side). */
const CONTENT_WIDTH_MM = 186;
/** The tallest tile, in millimetres, that fits a page with its label. */
const TILE_HEIGHT_MM = 232;
/** One CSS pixel at 96 dpi, in millimetres: a narrow image is shown at its natural size, never enlarged. */
const MM_PER_CSS_PX = 25.4 / 96;
/** The largest image sharp is allowed to read (pixels), as for thumbnails. */
const PIXEL_LIMIT = 400_000_000;

/** One tile: which rows of the image it holds, how wide it is printed, and its PNG as a data: URI. */
export interface ScreenshotTile {
  readonly part: number;
  readonly parts: number;
  readonly top: number;
  readonly height: number;
  readonly imageWidth: number;
  readonly imageHeight: number;
  readonly widthMm: number;
  readonly dataUri: string;
}

/** How an image of this size is cut: the printed width and the rows per tile. */
export function tileGeometry(
  width: number,
  height: number,
): { widthMm: number; rowsPerTile: number; parts: number } {
  const widthMm = Math.min(CONTENT_WIDTH_MM, width * MM_PER_CSS_PX);
  const rowsPerTile = Math.max(1, Math.floor((TILE_HEIGHT_MM * width) / widthMm));
  return { widthMm, rowsPerTile, parts: Math.max(1, Math.ceil(height / rowsPerTile)) };
}

/** The tiles of an image file, one at a time; nothing when sharp cannot read it as an image. */
export async function* screenshotTiles(imageFile: string): AsyncGenerator<ScreenshotTile> {
  const { default: sharp } = await import('sharp'); // loaded on demand: heavy, and only exports need it
  let width: number | undefined;
  let height: number | undefined;
  try {
    ({ width, height } = await sharp(imageFile, { limitInputPixels: PIXEL_LIMIT }).metadata());
  } catch {
    return;
  }
  if (!width || !height) return;
  const { widthMm, rowsPerTile, parts } = tileGeometry(width, height);
  for (let part = 1; part <= parts; part++) {
    const top = (part - 1) * rowsPerTile;
    const rows = Math.min(rowsPerTile, height - top);
    const png = await sharp(imageFile, { limitInputPixels: PIXEL_LIMIT, sequentialRead: true })
      .extract({ left: 0, top, width, height: rows })
      .png({ compressionLevel: 6 })
      .toBuffer();
    yield {
      part,
      parts,
      top,
      height: rows,
      imageWidth: width,
      imageHeight: height,
      widthMm,
      dataUri: `data:image/png;base64,${png.toString('base64')}`,
    };
  }
}
