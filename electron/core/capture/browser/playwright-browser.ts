import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { operationFailure } from '../../errors.js';
import type { CaptureBrowser, CaptureTab } from '../engine/capture-browser.js';
import {
  type CdpCommand,
  CdpEventHub,
  type CdpParams,
  type CdpResult,
  type CdpSession,
} from '../engine/cdp-session.js';
import { loadLibrary } from '../engine/load-library.js';
import { OFFLINE_CHROMIUM_SWITCHES } from './browser-discovery.js';

/**
 * The switches every capture browser runs with: those of every Custos Chromium (no sandbox, no
 * GPU, no network of its own), and more that keep the browser quiet, so that the WARC holds only
 * what the page asked for.
 */
export const CHROMIUM_SWITCHES = [
  ...OFFLINE_CHROMIUM_SWITCHES,
  '--disable-domain-reliability',
  '--disable-client-side-phishing-detection',
  '--disable-breakpad',
  '--no-pings',
  // Sites treat automated browsers differently; a capture must show what a person would see.
  '--disable-blink-features=AutomationControlled',
] as const;

/** Playwright defaults a capture browser must not have (pop-ups must stay blocked). */
const REFUSED_DEFAULT_SWITCHES = ['--disable-popup-blocking', '--enable-automation'];

/** How to start the capture browser. */
export interface LaunchOptions {
  readonly executablePath: string;
  /** A persona's persistent profile folder; omitted for a fresh, throw-away profile per capture. */
  readonly profileDir?: string;
  /** Shows a window (for `persona open`); captures run headless. */
  readonly headed?: boolean;
  /** Extra switches (e.g. `--ignore-certificate-errors-spki-list=…` for a test server's certificate). */
  readonly extraArgs?: readonly string[];
  /**
   * Work to do while the browser process starts (on another core), such as loading the rest of
   * the engine's modules: it runs after the process is spawned and before the launch is awaited.
   */
  readonly whileStarting?: () => Promise<unknown>;
  /**
   * Leave Ctrl-C and termination signals to the caller (a persona window closes gracefully so that
   * its cookies are saved); otherwise Playwright closes the browser and ends the process.
   */
  readonly callerHandlesSignals?: boolean;
}

/** CDP over a playwright-core CDPSession. */
class PlaywrightCdpSession implements CdpSession {
  private readonly events = new CdpEventHub();

  constructor(private readonly inner: CDPSession) {
    inner.on('event', ({ method, params }) => this.events.emit(method, params));
  }

  send<M extends CdpCommand>(method: M, ...params: CdpParams<M>): Promise<CdpResult<M>> {
    // Playwright types its CDPSession with its own copy of the protocol; the wire messages are the same.
    const send = this.inner.send.bind(this.inner) as (method: string, params?: unknown) => Promise<unknown>;
    return send(method, params[0]) as Promise<CdpResult<M>>;
  }

  on: CdpSession['on'] = (event, handler) => this.events.on(event, handler);
}

/**
 * Launches Chromium through playwright-core. Without a persona each tab gets its own fresh
 * incognito-like context (nothing persists between captures); with one, tabs share the persona's
 * profile, where the investigator's logins live.
 */
export async function launchChromium(options: LaunchOptions): Promise<CaptureBrowser> {
  const { chromium } = loadLibrary<typeof import('playwright-core')>('playwright-core');
  const common = {
    executablePath: options.executablePath,
    headless: !options.headed,
    args: [...CHROMIUM_SWITCHES, ...(options.extraArgs ?? [])],
    ignoreDefaultArgs: REFUSED_DEFAULT_SWITCHES,
    handleSIGINT: !options.callerHandlesSignals,
    handleSIGTERM: !options.callerHandlesSignals,
    handleSIGHUP: !options.callerHandlesSignals,
    timeout: 30_000,
  };
  const contextOptions = { viewport: null, acceptDownloads: false, serviceWorkers: 'block' as const };
  if (options.profileDir) {
    let context: BrowserContext;
    try {
      const starting = chromium.launchPersistentContext(options.profileDir, { ...common, ...contextOptions });
      await options.whileStarting?.();
      context = await starting;
    } catch (error) {
      throw launchFailure(error, options);
    }
    return new PlaywrightBrowser(context.browser(), context, options.executablePath);
  }
  let browser: Browser;
  try {
    const starting = chromium.launch(common);
    await options.whileStarting?.();
    browser = await starting;
  } catch (error) {
    throw launchFailure(error, options);
  }
  return new PlaywrightBrowser(browser, null, options.executablePath, contextOptions);
}

/**
 * Opens a visible browser window on a persona's profile, at `url` when given, for the investigator
 * to log in by hand. Resolves once the window is open; `close` ends it, `closed` settles when the
 * person closes it.
 */
export async function openPersonaWindow(
  options: LaunchOptions & { readonly profileDir: string; readonly url?: string },
): Promise<{ readonly closed: Promise<void>; close(): Promise<void> }> {
  const browser = await launchChromium({ ...options, headed: true, callerHandlesSignals: true });
  if (options.url) {
    const tab = await browser.openTab();
    await tab.session.send('Page.navigate', { url: options.url }).catch(() => undefined);
  }
  return { closed: browser.waitUntilClosed(), close: () => browser.close() };
}

function launchFailure(error: unknown, options: LaunchOptions): Error {
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  if (options.profileDir && /ProcessSingleton|profile.*in use|SingletonLock/i.test(String(error))) {
    return operationFailure(
      `the persona profile at ${options.profileDir} is in use by another browser window; close it and try again`,
      { cause: error },
    );
  }
  return operationFailure(`Chromium (${options.executablePath}) could not be started: ${message}`, {
    cause: error,
  });
}

class PlaywrightBrowser implements CaptureBrowser {
  private lostReason: Error | null = null;
  private readonly lostHandlers = new Set<(reason: Error) => void>();
  private readonly usedPages = new WeakSet<Page>();

  constructor(
    private readonly browser: Browser | null,
    private readonly persistent: BrowserContext | null,
    readonly executablePath: string,
    private readonly contextOptions?: Parameters<Browser['newContext']>[0],
  ) {
    const gone = () => this.markLost(operationFailure('the browser closed or crashed during the capture'));
    browser?.on('disconnected', gone);
    persistent?.on('close', gone);
  }

  get connected(): boolean {
    return this.lostReason === null;
  }

  async openTab(): Promise<CaptureTab> {
    if (this.lostReason) throw this.lostReason;
    const context = this.persistent ?? (await this.browser!.newContext(this.contextOptions));
    // A persona's browser starts with a blank window: the first tab goes there, not into a second one.
    const blank = this.persistent?.pages().find((p) => p.url() === 'about:blank' && !this.usedPages.has(p));
    const page = blank ?? (await context.newPage());
    this.usedPages.add(page);
    const session = new PlaywrightCdpSession(await context.newCDPSession(page));
    return new PlaywrightTab(page, session, this.persistent ? null : context, (handler) =>
      this.onLost(handler),
    );
  }

  async close(): Promise<void> {
    await (this.persistent ?? this.browser)?.close().catch(() => undefined);
    // Whoever waits for the window to close (persona open) is released too.
    this.markLost(operationFailure('the browser was closed'));
  }

  /** Waits until a person closes the window of a headed (persona) browser. */
  async waitUntilClosed(): Promise<void> {
    if (this.lostReason) return;
    await new Promise<void>((resolve) => this.onLost(() => resolve()));
  }

  private onLost(handler: (reason: Error) => void): () => void {
    if (this.lostReason) handler(this.lostReason);
    this.lostHandlers.add(handler);
    return () => this.lostHandlers.delete(handler);
  }

  private markLost(reason: Error): void {
    if (this.lostReason) return;
    this.lostReason = reason;
    for (const handler of this.lostHandlers) handler(reason);
  }
}

class PlaywrightTab implements CaptureTab {
  readonly lost: Promise<Error>;

  constructor(
    private readonly page: Page,
    readonly session: CdpSession,
    private readonly ownContext: BrowserContext | null,
    onBrowserLost: (handler: (reason: Error) => void) => () => void,
  ) {
    this.lost = new Promise((resolve) => {
      onBrowserLost(resolve);
      page.on('crash', () =>
        resolve(operationFailure('the page crashed the browser tab during the capture')),
      );
    });
  }

  async close(): Promise<void> {
    // `runBeforeUnload: false`: a hostile page's onbeforeunload must not hold the tab open.
    if (this.ownContext) await this.ownContext.close().catch(() => undefined);
    else await this.page.close({ runBeforeUnload: false }).catch(() => undefined);
  }
}
