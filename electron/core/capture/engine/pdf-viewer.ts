import type { CdpSession } from './cdp-session.js';
import { loadLibrary } from './load-library.js';
import { seconds, sleep, withTimeout } from './timing.js';

/** How long the engine waits for Chromium's PDF viewer to draw a captured PDF. */
export const PDF_DRAW_TIMEOUT_MS = 15_000;

/** The id of the PDF viewer built into Chromium (and Electron): its frame is the browser's own. */
export const PDF_VIEWER_ORIGIN = 'chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai';

/** The height of the viewer's toolbar (CSS px), whose file name and buttons are drawn before the document. */
const TOOLBAR_HEIGHT = 56;
/** Share of the sampled strip that must show the document for it to count as drawn. */
const DRAWN_SHARE = 0.005;
/** Between two looks at the viewer. */
const LOOK_INTERVAL_MS = 250;

/**
 * Waits until Chromium's PDF viewer shows the document, as a screenshot sees it, for at most
 * `timeoutMs`: the viewer draws the PDF after the page's load event (often seconds after, on a
 * busy machine), and a screenshot taken before shows only its empty grey frame. Drawn means that the
 * viewer's document area (below the toolbar, right of where the page thumbnails are shown; the
 * first page is centred there) holds paper: light or coloured pixels, where the empty viewer has
 * only dark grey. Returns whether it was seen drawn.
 */
export async function waitForPdfDrawn(
  session: CdpSession,
  viewport: { readonly width: number; readonly height: number },
  timeoutMs: number,
): Promise<boolean> {
  const sharp = loadLibrary<typeof import('sharp')['default']>('sharp');
  const clip = {
    x: Math.floor(viewport.width * 0.25),
    y: TOOLBAR_HEIGHT,
    width: Math.max(1, viewport.width - Math.floor(viewport.width * 0.25)),
    height: Math.max(1, viewport.height - TOOLBAR_HEIGHT),
    scale: 1,
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) return false;
    const { data } = await withTimeout(
      session.send('Page.captureScreenshot', { format: 'png', clip, fromSurface: true }),
      left,
      `the browser did not take a screenshot within ${seconds(timeoutMs)}`,
    ).catch(() => ({ data: null }));
    if (data === null) return false;
    const { data: pixels, info } = await sharp(Buffer.from(data, 'base64'))
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (paperShare(pixels, info.channels) >= DRAWN_SHARE) return true;
    await sleep(Math.min(LOOK_INTERVAL_MS, deadline - Date.now()));
  }
}

/** The share of pixels that are light or coloured (a page), not the viewer's dark grey. */
function paperShare(pixels: Buffer, channels: number): number {
  let paper = 0;
  const count = Math.floor(pixels.length / channels);
  for (let i = 0; i + 2 < pixels.length; i += channels) {
    const r = pixels[i]!;
    const g = pixels[i + 1]!;
    const b = pixels[i + 2]!;
    const high = Math.max(r, g, b);
    if (high >= 0x80 || high - Math.min(r, g, b) >= 0x40) paper++;
  }
  return count === 0 ? 0 : paper / count;
}
