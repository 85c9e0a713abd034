import { session as sessions, WebContentsView } from 'electron';
import { denySessionPermissions, denyWindowsAndWebviews } from '../session-guards.js';
import { capturePartition, isCapturableAddress } from './capture-partition.js';
import { ElectronCdpSession } from './electron-cdp-session.js';

/** Something a captured page tried and was refused: kept for the item's record. */
export interface BlockedAttempt {
  readonly at: string;
  readonly what: string;
  readonly detail: string;
}

/** One response the live view saw, from the first request of the page load on. */
export interface SeenResponse {
  readonly url: string;
  readonly status: number;
  readonly mediaType: string;
  readonly remoteAddress: string | null;
}

const MAX_SEEN = 5000;
// One set of session guards per partition; each sends what it blocks to the view showing it.
const guarded = new Map<string, (what: string, detail: string) => void>();
const guardedPartitions = new Set<string>();

/**
 * The live capture browser: a `WebContentsView` in the capture screen, in the persona's own
 * session partition, sandboxed and without preload (the page gets no bridge to the app). The
 * debugger is attached and the network enabled before the first load, so every request of a
 * page load is seen. Pop-ups, non-http(s) navigations, downloads and permission requests are
 * refused and written to `blocked`.
 */
export class LiveCaptureView {
  readonly view: WebContentsView;
  readonly partition: string;
  readonly blocked: BlockedAttempt[] = [];
  readonly responses: SeenResponse[] = [];
  private readonly cdp: ElectronCdpSession;

  private constructor(persona: string | null) {
    this.partition = capturePartition(persona);
    const session = sessions.fromPartition(this.partition);
    this.view = new WebContentsView({
      webPreferences: {
        session,
        sandbox: true,
        contextIsolation: true,
        nodeIntegration: false,
        webviewTag: false,
        safeDialogs: true,
        navigateOnDragDrop: false,
      },
    });
    const log = (what: string, detail: string) => this.block(what, detail);
    if (!guardedPartitions.has(this.partition)) {
      guardedPartitions.add(this.partition);
      const partition = this.partition;
      denySessionPermissions(session, (what, detail) => guarded.get(partition)?.(what, detail));
    }
    guarded.set(this.partition, log);
    const contents = this.view.webContents;
    denyWindowsAndWebviews(contents, log);
    const guard = (event: Electron.Event, url: string) => {
      if (isCapturableAddress(url)) return;
      event.preventDefault();
      log('navigation', url);
    };
    contents.on('will-navigate', guard);
    contents.on('will-redirect', guard);
    contents.on('will-frame-navigate', (details) => {
      if (
        !isCapturableAddress(details.url) &&
        details.url !== 'about:blank' &&
        details.url !== 'about:srcdoc'
      ) {
        details.preventDefault();
        log('navigation', details.url);
      }
    });
    this.cdp = new ElectronCdpSession(contents);
    this.cdp.on('Network.responseReceived', ({ response }) => {
      if (this.responses.length < MAX_SEEN) {
        this.responses.push({
          url: response.url,
          status: response.status,
          mediaType: response.mimeType,
          remoteAddress: response.remoteIPAddress ?? null,
        });
      }
    });
  }

  /** Opens a view for `persona` (null: a fresh, forgotten profile) with the network recorded. */
  static async open(persona: string | null): Promise<LiveCaptureView> {
    const live = new LiveCaptureView(persona);
    await live.cdp.send('Network.enable');
    await live.cdp.send('Page.enable');
    return live;
  }

  /** Loads an http(s) address; any other is refused and logged. */
  async load(address: string): Promise<void> {
    if (!isCapturableAddress(address)) {
      this.block('navigation', address);
      throw new Error(`only http and https addresses can be captured, not ${address}`);
    }
    this.responses.length = 0;
    await this.view.webContents.loadURL(address);
  }

  /** A PNG of what the investigator sees in the view now. */
  async captureVisible(): Promise<Buffer> {
    return (await this.view.webContents.capturePage()).toPNG();
  }

  /** A PNG of a rectangle the investigator dragged, in the view's own coordinates. */
  async captureRegion(rect: Electron.Rectangle): Promise<Buffer> {
    const { width, height } = this.view.getBounds();
    const x = Math.max(0, Math.floor(rect.x));
    const y = Math.max(0, Math.floor(rect.y));
    const clipped = {
      x,
      y,
      width: Math.max(1, Math.min(Math.floor(rect.width), width - x)),
      height: Math.max(1, Math.min(Math.floor(rect.height), height - y)),
    };
    return (await this.view.webContents.capturePage(clipped)).toPNG();
  }

  /** Closes the page and its debugger; a persona's cookies stay in its partition. */
  close(): void {
    this.cdp.close();
    guarded.delete(this.partition);
    this.view.webContents.close();
  }

  private block(what: string, detail: string): void {
    this.blocked.push({ at: new Date().toISOString(), what, detail });
  }
}
