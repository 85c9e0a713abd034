import fs from 'node:fs/promises';
import type { CdpSession } from './cdp-session.js';
import { loadLibrary } from './load-library.js';
import { encodePng, type RgbBand } from './png-writer.js';
import { seconds, withTimeout } from './timing.js';

/** Limits of the full-page screenshot. */
export interface ScreenshotLimits {
  /** Taller pages are cut at this height (CSS px) and the record says so. */
  readonly maxHeight: number;
  readonly maxWidth: number;
  /** Height of one tile; Chromium cannot paint a surface taller than 16,384 px at once. */
  readonly tileHeight: number;
  /** For each screenshot command (a page whose scripts hang the renderer never answers). */
  readonly commandTimeoutMs: number;
}

/** What the full-page screenshot covers. */
export interface FullPageShot {
  readonly width: number;
  readonly height: number;
  /** The page's own size in CSS px, which the screenshot may have been cut short of. */
  readonly pageWidth: number;
  readonly pageHeight: number;
  readonly truncated: boolean;
  /** 1 when taken in one piece, else the number of tiles stitched. */
  readonly tiles: number;
  /**
   * `expanded-viewport`: the window was made as tall as the page (every frame painted, including
   * frames from other sites); `beyond-viewport`: the page was painted beyond its window, which keeps
   * a layout that depends on the window's height but leaves frames from other sites blank.
   */
  readonly method: 'expanded-viewport' | 'beyond-viewport';
}

/** The PNG of what is on screen (the first screen, as the engine scrolled back to the top). */
export async function captureViewport(session: CdpSession, limits: ScreenshotLimits): Promise<Buffer> {
  const { data } = await withTimeout(
    session.send('Page.captureScreenshot', { format: 'png', fromSurface: true }),
    limits.commandTimeoutMs,
    `the browser did not take the screenshot within ${seconds(limits.commandTimeoutMs)}`,
  );
  return Buffer.from(data, 'base64');
}

/** The window the page is shown in. */
export interface Viewport {
  readonly width: number;
  readonly height: number;
  readonly deviceScaleFactor: number;
  /** Phone emulation stays on while the page is resized for its full-page screenshot. */
  readonly mobile?: boolean;
}

/**
 * A PNG of the whole page, written to `file`. A page no taller than one tile is shot with the
 * window made as tall as the page, when that leaves its layout unchanged; otherwise, and for taller
 * pages, Chromium paints beyond the window, tile by tile, and the tiles are decoded and re-encoded
 * as one PNG a band at a time (see png-writer.ts). `nextFrame` waits until the page has repainted.
 */
export async function captureFullPage(
  session: CdpSession,
  file: string,
  viewport: Viewport,
  limits: ScreenshotLimits,
  nextFrame: () => Promise<void>,
): Promise<FullPageShot> {
  const size = await pageSize(session);
  const width = Math.min(size.width, limits.maxWidth);
  const height = Math.min(size.height, limits.maxHeight);
  const facts = {
    width,
    height,
    pageWidth: size.width,
    pageHeight: size.height,
    truncated: width < size.width || height < size.height,
  };
  const timeout = (what: string) =>
    `the browser did not paint ${what} within ${seconds(limits.commandTimeoutMs)}`;

  if (height <= limits.tileHeight && width === viewport.width) {
    const metrics = {
      width: viewport.width,
      deviceScaleFactor: viewport.deviceScaleFactor,
      mobile: viewport.mobile ?? false,
    };
    const resize = height !== viewport.height;
    if (resize) await session.send('Emulation.setDeviceMetricsOverride', { ...metrics, height });
    try {
      if (resize) await nextFrame();
      const after = await pageSize(session);
      if (after.height === size.height && after.width === size.width) {
        const { data } = await withTimeout(
          session.send('Page.captureScreenshot', { format: 'png', fromSurface: true }),
          limits.commandTimeoutMs,
          timeout('the page'),
        );
        await fs.writeFile(file, Buffer.from(data, 'base64'));
        return { ...facts, tiles: 1, method: 'expanded-viewport' };
      }
    } finally {
      if (resize) {
        await session.send('Emulation.setDeviceMetricsOverride', { ...metrics, height: viewport.height });
        await nextFrame();
      }
    }
  }

  const shot = (y: number, rows: number) =>
    withTimeout(
      session.send('Page.captureScreenshot', {
        format: 'png',
        clip: { x: 0, y, width, height: rows, scale: 1 },
        captureBeyondViewport: true,
        fromSurface: true,
      }),
      limits.commandTimeoutMs,
      timeout('the page'),
    ).then(({ data }) => Buffer.from(data, 'base64'));
  if (height <= limits.tileHeight) {
    await fs.writeFile(file, await shot(0, height));
    return { ...facts, tiles: 1, method: 'beyond-viewport' };
  }
  // Loaded only for tall pages: most captures never need it.
  const sharp = loadLibrary<typeof import('sharp')['default']>('sharp');
  async function* bands(): AsyncGenerator<RgbBand> {
    for (let y = 0; y < height; y += limits.tileHeight) {
      const rows = Math.min(limits.tileHeight, height - y);
      const { data, info } = await sharp(await shot(y, rows))
        .removeAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      if (info.width !== width || info.height !== rows || info.channels !== 3) {
        throw new Error(`a tile came back ${info.width}x${info.height} instead of ${width}x${rows}`);
      }
      yield { pixels: data, rows };
    }
  }
  await fs.writeFile(file, encodePng(width, height, bands()));
  return { ...facts, tiles: Math.ceil(height / limits.tileHeight), method: 'beyond-viewport' };
}

async function pageSize(session: CdpSession): Promise<{ width: number; height: number }> {
  const metrics = await session.send('Page.getLayoutMetrics');
  return {
    width: Math.ceil(Math.max(metrics.cssContentSize.width, metrics.cssLayoutViewport.clientWidth)),
    height: Math.ceil(Math.max(metrics.cssContentSize.height, metrics.cssLayoutViewport.clientHeight)),
  };
}
