/**
 * `npm run icons`: makes the app icon's files from assets/icon.svg (the one source) with sharp:
 * assets/icons/<N>x<N>.png for N from 16 to 1024 (the Linux icon set, and the window's icon),
 * assets/icon.ico (Windows) and assets/icon.icns (macOS). electron-builder.yml names them. The
 * files are committed, so packaging needs neither this script nor the network; run it again
 * after changing the SVG.
 *
 *   tsx scripts/make-icons.ts [OUT_DIR]    (default: assets/)
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { icnsFile, icoFile, type SizedPng } from './icon-containers.js';

/** Every PNG size made: the Linux set's sizes, which also cover what ICO and ICNS hold. */
export const ICON_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const;

/** The sizes the Windows icon holds (ICO images are at most 256 pixels). */
export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256] as const;

/** Renders the SVG at each size and writes the PNGs, the ICO and the ICNS into `outDir`. */
export async function makeIcons(svgFile: string, outDir: string): Promise<void> {
  const svg = fs.readFileSync(svgFile);
  const images: SizedPng[] = [];
  for (const size of ICON_SIZES) {
    // Rendered at 4x the size (at least 1024) and scaled down, so that small sizes keep clean edges.
    const density = (72 * Math.max(1024, size * 4)) / 1024;
    const png = await sharp(svg, { density })
      .resize(size, size, { kernel: 'lanczos3' })
      .png({ compressionLevel: 9, adaptiveFiltering: true })
      .toBuffer();
    images.push({ size, png });
  }
  const setDir = path.join(outDir, 'icons');
  fs.mkdirSync(setDir, { recursive: true });
  for (const { size, png } of images) fs.writeFileSync(path.join(setDir, `${size}x${size}.png`), png);
  fs.writeFileSync(
    path.join(outDir, 'icon.ico'),
    icoFile(images.filter(({ size }) => (ICO_SIZES as readonly number[]).includes(size))),
  );
  fs.writeFileSync(path.join(outDir, 'icon.icns'), icnsFile(images));
}

const repoRoot = path.resolve(import.meta.dirname, '..');
if (process.argv[1] && path.resolve(process.argv[1]) === path.join(repoRoot, 'scripts', 'make-icons.ts')) {
  const outDir = path.resolve(process.argv[2] ?? path.join(repoRoot, 'assets'));
  await makeIcons(path.join(repoRoot, 'assets', 'icon.svg'), outDir);
  console.error(
    `icons: made ${ICON_SIZES.length} PNGs, icon.ico and icon.icns in ${path.relative(process.cwd(), outDir) || '.'}`,
  );
}
