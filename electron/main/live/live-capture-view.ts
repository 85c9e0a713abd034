import { session as sessions, WebContentsView } from 'electron';
import type { LiveFrame, LiveViewState } from '../../../shared/shell-api.js';
import { type CaptureShortcut, matchShortcut } from '../../../shared/shortcuts.js';
import { DEFAULT_CAPTURE_OPTIONS } from '../../core/capture/engine/capture-page.js';
import type { BlockedKind } from '../../core/capture/engine/page-guard.js';
import { LiveCapture } from '../../core/capture/live/live-capture.js';
import { denySessionPermissions, denyWindowsAndWebviews } from '../session-guards.js';
import { capturePartition, isCapturableAddress } from './capture-partition.js';
import { ElectronCdpSession } from './electron-cdp-session.js';

// One set of session guards per partition; each sends what it blocks to the view showing it.
const guarded = new Map<string, (what: string, detail: string) => void>();
const guardedPartitions = new Set<string>();

/** What the shell's guards call a refusal, as the capture record names it. */
function blockedKind(what: string, detail: string): BlockedKind {
  if (what === 'pop-up' || what === 'webview') return 'popup';
  if (what === 'permission' || what === 'download') return what;
  return detail.toLowerCase().startsWith('file:') ? 'local-file' : 'navigation';
}

/** What the view tells the app window. */
export interface LiveViewEvents {
  readonly changed: () => void;
  readonly shortcut: (id: CaptureShortcut) => void;
}

/**
 * The live capture browser: a `WebContentsView` in the capture screen, in the persona's own
 * session partition, sandboxed and without preload (the page gets no bridge to the app). The
 * recording (electron/core/capture/live-capture.ts) is attached through `webContents.debugger`
 * before the first load, so every request of every page load is seen, and "Capture page" takes
 * every artifact of the engine from the page as the investigator has it. Pop-ups, non-http(s)
 * navigations, downloads and permission requests are refused and written into the next capture's
 * record. The capture shortcuts work while the page has the keyboard.
 */
export class LiveCaptureView {
  readonly view: WebContentsView;
  readonly partition: string;
  private live: LiveCapture | null = null;
  private readonly cdp: ElectronCdpSession;

  private constructor(
    readonly persona: string | null,
    events: LiveViewEvents,
  ) {
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
        backgroundThrottling: false,
      },
    });
    const log = (what: string, detail: string) => this.live?.noteBlocked(blockedKind(what, detail), detail);
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
    for (const event of [
      'did-start-loading',
      'did-stop-loading',
      'did-navigate',
      'did-navigate-in-page',
      'page-title-updated',
    ] as const) {
      contents.on(event as 'did-start-loading', () => events.changed());
    }
    // The page has the keyboard while the investigator browses: the capture shortcuts still work.
    contents.on('before-input-event', (event, input) => {
      if (input.type !== 'keyDown') return;
      const id = matchShortcut(
        { key: input.key, ctrl: input.control, meta: input.meta, shift: input.shift, alt: input.alt },
        process.platform,
      );
      if (!id) return;
      event.preventDefault();
      events.shortcut(id);
    });
    this.cdp = new ElectronCdpSession(contents);
  }

  /** Opens a view for `persona` (null: a fresh, forgotten profile) with its recording attached. */
  static async open(persona: string | null, events: LiveViewEvents): Promise<LiveCaptureView> {
    const view = new LiveCaptureView(persona, events);
    view.live = await LiveCapture.start(view.cdp, {
      persona,
      browser: { executable: process.execPath, headless: false, extraArgs: [] },
      options: DEFAULT_CAPTURE_OPTIONS,
    });
    return view;
  }

  /** The recording, for `captureLive`. */
  get recording(): LiveCapture | null {
    return this.live;
  }

  /** Loads an http(s) address; any other is refused and logged. */
  async load(address: string): Promise<void> {
    const url = /^[a-z][a-z0-9+.-]*:/i.test(address) ? address : `https://${address}`;
    if (!isCapturableAddress(url)) {
      this.live?.noteBlocked(url.toLowerCase().startsWith('file:') ? 'local-file' : 'navigation', url);
      throw new Error(`only http and https addresses can be opened in the live browser, not ${address}`);
    }
    // A page that fails to load shows Chromium's error page; the investigator sees why.
    await this.view.webContents.loadURL(url).catch(() => undefined);
  }

  back(): void {
    const history = this.view.webContents.navigationHistory;
    if (history.canGoBack()) history.goBack();
  }

  forward(): void {
    const history = this.view.webContents.navigationHistory;
    if (history.canGoForward()) history.goForward();
  }

  reload(): void {
    this.view.webContents.reload();
  }

  state(): LiveViewState {
    const contents = this.view.webContents;
    return {
      open: true,
      persona: this.persona,
      url: contents.getURL(),
      title: contents.getTitle(),
      loading: contents.isLoading(),
      canGoBack: contents.navigationHistory.canGoBack(),
      canGoForward: contents.navigationHistory.canGoForward(),
    };
  }

  /** A still picture of the view (for the region overlay), then hides it. */
  async freeze(): Promise<LiveFrame> {
    const image = await this.view.webContents.capturePage();
    const { width, height } = this.view.getBounds();
    this.view.setVisible(false);
    return { dataUri: image.toDataURL(), width, height };
  }

  unfreeze(): void {
    this.view.setVisible(true);
  }

  /** Stops the recording, closes the page; a persona's cookies stay in its partition. */
  async close(): Promise<void> {
    const live = this.live;
    this.live = null;
    guarded.delete(this.partition);
    await live?.close().catch(() => undefined);
    this.cdp.close();
    this.view.webContents.close();
  }
}
