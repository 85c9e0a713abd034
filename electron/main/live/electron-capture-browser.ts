import { BrowserWindow, session as sessions } from 'electron';
import type { BrowserProvider } from '../../core/capture/capture-service.js';
import type { CaptureBrowser, CaptureTab } from '../../core/capture/engine/capture-browser.js';
import { denySessionPermissions } from '../session-guards.js';
import { capturePartition, isCapturableAddress } from './capture-partition.js';
import { ElectronCdpSession } from './electron-cdp-session.js';

const guardedPartitions = new Set<string>();

/**
 * The capture engine's browser in the app: Electron's own Chromium, each page in a hidden,
 * sandboxed window of the persona's partition (`persist:persona-<name>`, the one the live view
 * uses, so a page is captured logged in as the investigator sees it) or of a fresh in-memory one.
 */
class ElectronCaptureBrowser implements CaptureBrowser {
  readonly executablePath = process.execPath;
  private readonly windows = new Set<BrowserWindow>();
  private closed = false;

  constructor(private readonly persona: string | null) {}

  get connected(): boolean {
    return !this.closed;
  }

  async openTab(): Promise<CaptureTab> {
    const partition = capturePartition(this.persona);
    const session = sessions.fromPartition(partition);
    if (!guardedPartitions.has(partition)) {
      guardedPartitions.add(partition);
      denySessionPermissions(session, (what, detail) =>
        console.warn(`[custos] capture blocked ${what}: ${detail}`),
      );
    }
    const window = new BrowserWindow({
      show: false,
      width: 1280,
      height: 800,
      webPreferences: {
        session,
        sandbox: true,
        contextIsolation: true,
        nodeIntegration: false,
        webviewTag: false,
        backgroundThrottling: false,
        disableBlinkFeatures: 'Auxclick',
      },
    });
    this.windows.add(window);
    const contents = window.webContents;
    contents.on('will-navigate', (event, url) => {
      if (!isCapturableAddress(url)) event.preventDefault();
    });
    const cdp = new ElectronCdpSession(contents);
    const lost = new Promise<Error>((resolve) => {
      contents.once('render-process-gone', (_event, details) =>
        resolve(new Error(`the page's renderer went away (${details.reason})`)),
      );
      contents.once('destroyed', () => resolve(new Error('the capture window was closed')));
    });
    return {
      session: cdp,
      lost,
      close: async () => {
        cdp.close();
        this.windows.delete(window);
        if (!window.isDestroyed()) window.destroy();
      },
    };
  }

  async waitUntilClosed(): Promise<void> {}

  async close(): Promise<void> {
    this.closed = true;
    for (const window of this.windows) if (!window.isDestroyed()) window.destroy();
    this.windows.clear();
  }
}

/** Captures in the app run in Electron's own browser, as the engine's `BrowserProvider`. */
export const electronBrowserProvider: BrowserProvider = {
  setup: { executable: process.execPath, headless: false, extraArgs: [] },
  launch: async (persona) => new ElectronCaptureBrowser(persona?.name ?? null),
};
