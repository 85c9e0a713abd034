import { findChromium } from '../../../../electron/core/capture/browser/browser-discovery.js';
import { DEFAULT_CAPTURE_OPTIONS } from '../../../../electron/core/capture/engine/capture-page.js';
import type { CdpSession } from '../../../../electron/core/capture/engine/cdp-session.js';
import { LiveCapture } from '../../../../electron/core/capture/live/live-capture.js';

/** What the investigator does in the live view's address bar: go to an address and wait for it to load. */
export async function browse(session: CdpSession, url: string): Promise<void> {
  const loaded = new Promise<void>((resolve) => {
    const off = session.on('Page.loadEventFired', () => {
      off();
      resolve();
    });
  });
  await session.send('Page.navigate', { url, transitionType: 'typed' });
  await loaded;
}

/** The live view's recording on a tab of the system Chromium, as the app attaches it to its view. */
export function startLiveCapture(session: CdpSession): Promise<LiveCapture> {
  return LiveCapture.start(session, {
    persona: null,
    browser: { executable: findChromium(), headless: true, extraArgs: [] },
    options: DEFAULT_CAPTURE_OPTIONS,
  });
}
