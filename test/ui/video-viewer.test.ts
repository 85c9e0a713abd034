/**
 * A video item in the app, in real Chromium through the harness: the viewer plays a WebM (a live
 * view's recording, or a clip the investigator imports) from the stored bytes, under the app's
 * content security policy. The clip is recorded here by Chromium's own MediaRecorder.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../electron/core/import/import-file.js';
import { UiSession } from './support/ui-session.js';

let ui: UiSession;
let page: Page;

/**
 * Runs in the browser (a string: the test files are type-checked without the DOM's types): a
 * two-second 320×240 WebM of coloured frames, made by Chromium's MediaRecorder, as byte values.
 */
const RECORD_CLIP = `(async () => {
  const canvas = document.createElement('canvas');
  canvas.width = 320;
  canvas.height = 240;
  const context = canvas.getContext('2d');
  const media = new MediaRecorder(canvas.captureStream(10), { mimeType: 'video/webm' });
  const chunks = [];
  media.ondataavailable = (event) => chunks.push(event.data);
  const stopped = new Promise((resolve) => { media.onstop = resolve; });
  media.start();
  for (let frame = 0; frame < 20; frame++) {
    context.fillStyle = 'hsl(' + frame * 18 + ', 80%, 50%)';
    context.fillRect(0, 0, 320, 240);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  media.stop();
  await stopped;
  return Array.from(new Uint8Array(await new Blob(chunks).arrayBuffer()));
})()`;

async function recordClip(): Promise<Buffer> {
  const recorder = await ui.browser.newPage();
  try {
    return Buffer.from(await recorder.evaluate<number[]>(RECORD_CLIP));
  } finally {
    await recorder.close();
  }
}

beforeAll(async () => {
  ui = await UiSession.start();
  page = ui.page;
  const clip = await recordClip();
  await ui.seedStore({ name: 'Ana Ruiz', agency: 'Border Police' }, async (store) => {
    store.createCase({ number: 'BE-2026-0142', title: 'Boat crossings advertised on Facebook' });
    await importFile(store, 'BE-2026-0142', ui.writeFile('crossing-video.webm', clip));
  });
}, 120_000);

afterAll(async () => {
  await ui?.close();
});

describe('videos in the item viewer', () => {
  it('plays a stored WebM in the viewer, its frames decoded from the stored bytes', async () => {
    await page.getByRole('button', { name: /BE-2026-0142/ }).click();
    await page.locator('.table-row', { hasText: 'crossing-video.webm' }).dblclick();
    const video = page.getByLabel('Video as recorded');
    await video.waitFor();
    // Decoded far enough to know its frame size: the bytes reached the player under the CSP.
    await page.waitForFunction(
      "(document.querySelector('video.viewer-video')?.readyState ?? 0) >= 1",
      undefined,
      {
        timeout: 30_000,
      },
    );
    const size = await page.evaluate<{ width: number; height: number; error: string | null }>(
      "(() => { const v = document.querySelector('video.viewer-video'); return { width: v.videoWidth, height: v.videoHeight, error: v.error ? v.error.message : null }; })()",
    );
    expect(size).toEqual({ width: 320, height: 240, error: null });
    await ui.screenshot('23-video-viewer');
  });
});
