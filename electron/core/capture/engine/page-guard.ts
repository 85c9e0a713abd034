import { randomBytes } from 'node:crypto';
import type { Protocol } from 'devtools-protocol';
import type { CdpSession } from './cdp-session.js';
import type { DocumentPolicy } from './fetch-interceptor.js';
import { PDF_VIEWER_ORIGIN } from './pdf-viewer.js';

/** What a hostile or noisy page tried and was stopped from doing. */
export type BlockedKind =
  | 'dialog'
  | 'popup'
  | 'navigation'
  | 'permission'
  | 'download'
  | 'local-file'
  | 'file-chooser';

/** One blocked attempt, as listed in the capture record. */
export interface BlockedAttempt {
  readonly kind: BlockedKind;
  readonly detail: string;
  readonly url?: string;
  /** When it was first tried. */
  readonly at: string;
  /** How many more times the same attempt was made, when it was repeated. */
  readonly repeated?: number;
}

/** Permissions the capture browser denies outright, so that no prompt ever waits for an answer. */
const DENIED_PERMISSIONS = [
  'geolocation',
  'notifications',
  'midi',
  'midi-sysex',
  'camera',
  'microphone',
  'clipboard-read',
  'clipboard-write',
  'display-capture',
  'idle-detection',
  'storage-access',
  'window-management',
  'local-fonts',
  'background-sync',
  'payment-handler',
  'nfc',
  'sensors',
];

/** The most attempts listed; a page looping on `alert` must not grow the record without end. */
const MAX_ATTEMPTS = 200;
const MAX_DETAIL = 300;

/** The documents a frame holds of itself, without loading anything: never an attempt to record. */
const FRAME_OWN_DOCUMENTS = new Set(['about:blank', 'about:srcdoc']);

/**
 * Keeps a captured page contained and writes down everything it tried: dialogs are dismissed,
 * pop-ups refused, permission requests denied, downloads refused, the file chooser never answered,
 * and once the page has loaded, navigations of the top frame away from it are blocked. Local files
 * stay out of reach: Chromium refuses `file:` to web pages, and those refusals are listed too.
 */
export class PageGuard {
  private readonly attempts: BlockedAttempt[] = [];
  private readonly seen = new Map<string, number>();
  private dropped = 0;
  private locked = false;
  private mainFrameId: string | undefined;
  /** Refresh redirects (meta refresh, Refresh header) the top document asked for: allowed even after load. */
  private readonly refreshTargets = new Set<string>();
  /** Downloads the page asked for (`<a download>`), let through: their responses never reach the browser. */
  private readonly downloadRequests = new Set<string>();
  private refreshesLeft = 5;
  private targetId: string | undefined;
  /** Whether the top frame's document is a PDF, shown by the browser's own PDF viewer. */
  private topIsPdf = false;
  private readonly bindingName = `__custos_${randomBytes(8).toString('hex')}`;

  /** Attempts so far, in order. */
  get blocked(): readonly BlockedAttempt[] {
    return this.attempts;
  }

  /** Attempts beyond the listing limit, counted only. */
  get unlisted(): number {
    return this.dropped;
  }

  /** Forgets the attempts so far: the live view's next page load gets a record of its own. */
  startOver(): void {
    this.attempts.length = 0;
    this.seen.clear();
    this.dropped = 0;
  }

  /** From now on the top frame may not navigate (called once the page has loaded). */
  lockNavigation(): void {
    this.locked = true;
  }

  /**
   * Whether a paused document request is a download the page asked for: it cannot replace the page,
   * so it may go on (its bytes are kept, whenever it reaches the network, before the load event or
   * after it), and its response is refused by `documentPolicy.response`, whatever it turns out to be.
   */
  noteDownload(event: Protocol.Fetch.RequestPausedEvent): boolean {
    if (!isDownloadRequest(event)) return false;
    this.downloadRequests.add(event.requestId);
    return true;
  }

  /** Records an attempt (also used by the engine for what it notices itself). */
  record(kind: BlockedKind, detail: string, url?: string): void {
    const key = `${kind}\n${detail}\n${url ?? ''}`;
    const index = this.seen.get(key);
    if (index !== undefined) {
      const first = this.attempts[index]!;
      this.attempts[index] = { ...first, repeated: (first.repeated ?? 0) + 1 };
      return;
    }
    if (this.attempts.length >= MAX_ATTEMPTS) {
      this.dropped++;
      return;
    }
    const clipped = detail.length > MAX_DETAIL ? `${detail.slice(0, MAX_DETAIL)}…` : detail;
    this.seen.set(key, this.attempts.length);
    this.attempts.push({
      kind,
      detail: clipped,
      ...(url ? { url: clip(url) } : {}),
      at: new Date().toISOString(),
    });
  }

  /**
   * The Fetch policy for documents. Requests: once the top document has loaded, its frame may not
   * navigate, except to follow a refresh redirect (how link shorteners forward), which reopens the
   * lock until the next document has loaded. Responses: a file download is refused (its bytes stay
   * in the WARC as evidence, the browser never gets them).
   */
  readonly documentPolicy: DocumentPolicy = {
    request: (event) => {
      if (event.frameId !== this.mainFrameId || this.noteDownload(event)) return null;
      if (!this.locked) return null;
      if (this.refreshTargets.delete(event.request.url)) {
        this.locked = false;
        return null;
      }
      this.record('navigation', 'the page tried to navigate away after it had loaded', event.request.url);
      return 'navigation after load';
    },
    response: (event) => {
      const asked = this.downloadRequests.delete(event.requestId);
      const disposition = event.responseHeaders?.find((h) => h.name.toLowerCase() === 'content-disposition');
      if (disposition && /^\s*attachment/i.test(disposition.value)) {
        this.record(
          'download',
          'a file download was refused; its bytes are kept in the WARC',
          event.request.url,
        );
        return 'download';
      }
      if (!asked) return null;
      this.record(
        'download',
        'a download the page asked for was refused; the bytes the server sent are kept in the WARC',
        event.request.url,
      );
      return 'download';
    },
  };

  /** Sets up the top page's target (call before it loads anything). */
  async guardPage(session: CdpSession, mainFrameId: string): Promise<void> {
    this.mainFrameId = mainFrameId;
    const ownTarget = session.send('Target.getTargetInfo').then(
      ({ targetInfo }) => {
        this.targetId = targetInfo.targetId;
      },
      () => undefined,
    );
    const frameGuarded = this.guardFrameTarget(session);
    // The lock closes when a web document of the top frame has loaded (not the blank tab before it).
    let webDocument: string | undefined;
    session.on('Page.frameNavigated', ({ frame }) => {
      if (frame.id !== mainFrameId) return;
      webDocument = /^https?:/i.test(frame.url) ? frame.loaderId : undefined;
      this.topIsPdf = frame.mimeType === 'application/pdf';
    });
    session.on('Page.lifecycleEvent', (e) => {
      if (e.frameId === mainFrameId && e.name === 'load' && e.loaderId === webDocument) this.locked = true;
    });
    session.on('Page.frameRequestedNavigation', (e) => {
      const refresh = e.reason === 'metaTagRefresh' || e.reason === 'httpHeaderRefresh';
      if (e.frameId === mainFrameId && refresh && this.refreshesLeft-- > 0) this.refreshTargets.add(e.url);
    });
    session.on('Page.windowOpen', (e) => this.record('popup', 'the page tried to open a new window', e.url));
    session.on('Target.targetCreated', (e) => {
      if (e.targetInfo.openerId && e.targetInfo.openerId === this.targetId) {
        this.record('popup', 'a new window opened by the page was closed', e.targetInfo.url);
        void session.send('Target.closeTarget', { targetId: e.targetInfo.targetId }).catch(() => undefined);
      }
    });
    await Promise.all([
      ownTarget,
      frameGuarded,
      session.send('Target.setDiscoverTargets', { discover: true }).catch(() => undefined),
      // Where the Browser domain is not offered (an embedding app's own view), the app refuses downloads itself.
      session
        .send('Browser.setDownloadBehavior', { behavior: 'deny', eventsEnabled: true })
        .catch(() => undefined),
      ...DENIED_PERMISSIONS.map((name) =>
        session
          .send('Browser.setPermission', { permission: { name }, setting: 'denied' })
          .catch(() => undefined),
      ),
    ]);
  }

  /** Sets up a frame target (the page, or an iframe running in its own process). */
  async guardFrameTarget(session: CdpSession): Promise<void> {
    session.on('Page.javascriptDialogOpening', (e) => {
      this.record('dialog', `${e.type} dialog dismissed: ${JSON.stringify(e.message)}`, e.url);
      void session.send('Page.handleJavaScriptDialog', { accept: false }).catch(() => undefined);
    });
    session.on('Page.frameRequestedNavigation', (e) => {
      // An iframe's own empty or inline document (no src, or srcdoc) is no navigation anywhere,
      // and the browser shows it: listing it as refused would be untrue. The top page's stays listed.
      if (e.frameId !== this.mainFrameId && FRAME_OWN_DOCUMENTS.has(e.url)) return;
      // A PDF has no scripts: the viewer frame in it is the browser's own way of showing it.
      if (this.topIsPdf && e.frameId !== this.mainFrameId && e.url.startsWith(`${PDF_VIEWER_ORIGIN}/`))
        return;
      if (!/^https?:/i.test(e.url)) {
        this.record(
          e.url.toLowerCase().startsWith('file:') ? 'local-file' : 'navigation',
          `the page tried to open a ${e.url.split(':')[0]}: address (${e.reason}); the browser refuses it`,
          e.url,
        );
      } else if (e.disposition === 'newWindow' || e.disposition === 'newTab') {
        this.record(
          'popup',
          `the page tried to open a new ${e.disposition === 'newTab' ? 'tab' : 'window'}`,
          e.url,
        );
      }
    });
    session.on('Page.fileChooserOpened', () =>
      this.record('file-chooser', 'the page opened a file chooser; no file was given to it'),
    );
    session.on('Log.entryAdded', ({ entry }) => {
      const target = /\b(?:file|data|chrome|about):[^\s"']*/i.exec(entry.text)?.[0];
      if (/not allowed to load local resource|url scheme "?file"? is not supported/i.test(entry.text)) {
        this.record('local-file', `refused by the browser: ${entry.text}`, target ?? entry.url);
      } else if (/not allowed to navigate top frame/i.test(entry.text)) {
        this.record('navigation', `refused by the browser: ${entry.text}`, target ?? entry.url);
      }
    });
    session.on('Runtime.bindingCalled', (e) => {
      if (e.name === this.bindingName) this.onHookReport(e.payload);
    });
    // Sent together (DevTools runs them in order) rather than one round trip each.
    await Promise.all([
      session.send('Page.enable'),
      session.send('Log.enable'),
      // Bindings report only to a session with the Runtime domain on.
      session.send('Runtime.enable'),
      session.send('Page.setInterceptFileChooserDialog', { enabled: true }).catch(() => undefined),
      session.send('Runtime.addBinding', { name: this.bindingName }),
      session.send('Page.addScriptToEvaluateOnNewDocument', {
        source: hookScript(this.bindingName),
        runImmediately: true,
      }),
    ]);
  }

  private onHookReport(payload: string): void {
    let report: { kind?: unknown; detail?: unknown; url?: unknown };
    try {
      report = JSON.parse(payload) as typeof report;
    } catch {
      return;
    }
    const kind =
      report.kind === 'popup' || report.kind === 'permission' || report.kind === 'local-file'
        ? report.kind
        : null;
    if (!kind || typeof report.detail !== 'string') return;
    this.record(kind, report.detail, typeof report.url === 'string' ? report.url : undefined);
  }
}

function clip(text: string): string {
  return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
}

/**
 * Runs in every frame before the page's own scripts. It refuses `window.open` and reports
 * permission requests (the browser denies them) to the engine through a binding whose name the
 * page cannot know, removed from the page's view at once.
 */
function hookScript(bindingName: string): string {
  return `(() => {
  const binding = globalThis[${JSON.stringify(bindingName)}];
  try { delete globalThis[${JSON.stringify(bindingName)}]; } catch {}
  if (typeof binding !== 'function') return;
  const report = (kind, detail, url) => { try { binding(JSON.stringify({ kind, detail, url: url === undefined ? undefined : String(url) })); } catch {} };
  const wrap = (owner, name, kind, detail) => {
    if (!owner || typeof owner[name] !== 'function') return;
    const original = owner[name];
    owner[name] = function (...args) { report(kind, detail); return original.apply(this, args); };
  };
  window.open = function (url) {
    let target = url;
    try { target = new URL(String(url), location.href).href; } catch {}
    report('popup', 'window.open refused', target);
    return null;
  };
  const isLocal = (url) => { try { return new URL(String(url), location.href).protocol === 'file:'; } catch { return false; } };
  const originalFetch = globalThis.fetch;
  if (typeof originalFetch === 'function') {
    globalThis.fetch = function (input, init) {
      const url = input && typeof input === 'object' && 'url' in input ? input.url : input;
      if (isLocal(url)) report('local-file', 'the page tried to read a local file with fetch; refused', String(url));
      return originalFetch.call(this, input, init);
    };
  }
  const originalOpen = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    if (isLocal(url)) report('local-file', 'the page tried to read a local file with XMLHttpRequest; refused', String(url));
    return originalOpen.call(this, method, url, ...rest);
  };
  wrap(globalThis.Notification, 'requestPermission', 'permission', 'notifications permission requested; denied');
  wrap(navigator.geolocation, 'getCurrentPosition', 'permission', 'location requested; denied');
  wrap(navigator.geolocation, 'watchPosition', 'permission', 'location requested; denied');
  wrap(navigator.mediaDevices, 'getUserMedia', 'permission', 'camera or microphone requested; denied');
  wrap(navigator.mediaDevices, 'getDisplayMedia', 'permission', 'screen capture requested; denied');
  wrap(navigator.clipboard, 'readText', 'permission', 'clipboard read requested; denied');
  wrap(navigator.clipboard, 'read', 'permission', 'clipboard read requested; denied');
  wrap(navigator, 'requestMIDIAccess', 'permission', 'MIDI access requested; denied');
  wrap(globalThis, 'showOpenFilePicker', 'permission', 'file picker requested; refused');
  wrap(globalThis, 'showDirectoryPicker', 'permission', 'folder picker requested; refused');
})();`;
}

/**
 * Whether a paused document request is a download the browser's download manager makes (an
 * `<a download>` link), not a navigation: Chromium sends those without a Network request (no
 * `networkId`) and without the `Accept` header every navigation carries.
 */
export function isDownloadRequest(event: Protocol.Fetch.RequestPausedEvent): boolean {
  const headers = Object.keys(event.request.headers).map((name) => name.toLowerCase());
  return event.networkId === undefined && !headers.includes('accept');
}
