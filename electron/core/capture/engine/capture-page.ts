import fs from 'node:fs/promises';
import path from 'node:path';
import type { ArtifactRole } from '../../../../shared/domain.js';
import { operationFailure } from '../../errors.js';
import { BodySpool } from './body-spool.js';
import type { CaptureTab } from './capture-browser.js';
import { type CaptureSubject, type WebCaptureRecord, workstationFacts } from './capture-record.js';
import type { CdpSession } from './cdp-session.js';
import { attachChildTargets } from './child-targets.js';
import { type BodyLimits, interceptFetch } from './fetch-interceptor.js';
import { IsolatedWorld, NEXT_FRAMES } from './isolated-world.js';
import { describeTls, findMainDocument, type MainDocument, type TlsInfo } from './main-document.js';
import { NetworkUnreachable, navigationFailure } from './navigation-errors.js';
import { type Exchange, NetworkRecorder } from './network-recorder.js';
import { type PageFacts, readPageFacts, serialiseDom, visibleText } from './page-content.js';
import { PageGuard } from './page-guard.js';
import {
  MainFrameLifecycle,
  type ScrollResult,
  type SettleLimits,
  scrollThrough,
  settleAfterNavigation,
  waitForFontsAndImages,
} from './page-settle.js';
import { PDF_DRAW_TIMEOUT_MS, waitForPdfDrawn } from './pdf-viewer.js';
import {
  captureFullPage,
  captureViewport,
  type FullPageShot,
  type ScreenshotLimits,
  type Viewport,
} from './screenshot.js';
import { seconds, withTimeout } from './timing.js';
import { type WarcInfoFields, type WarcSummary, writeWarc } from './warc-writer.js';

/** How a page is captured; every wait is bounded by these. */
export interface CaptureOptions {
  readonly viewport: { readonly width: number; readonly height: number };
  readonly deviceScaleFactor: number;
  /** Emulate a phone: touch, a mobile layout, and the user agent of Chrome for Android of the same version. */
  readonly mobile?: boolean;
  /** For the page's server to answer at all. */
  readonly navigationTimeoutMs: number;
  /** For each question the engine asks the page (its text, its DOM). */
  readonly evaluateTimeoutMs: number;
  readonly settle: SettleLimits;
  readonly screenshot: ScreenshotLimits;
  readonly body: BodyLimits;
}

/**
 * The defaults: a desktop-sized window, and bounds that add up to well under a minute for a page
 * whose sub-resources never finish (20 s load + 5 s network + 5 s media + scrolling of a short page).
 */
export const DEFAULT_CAPTURE_OPTIONS: CaptureOptions = {
  viewport: { width: 1280, height: 800 },
  deviceScaleFactor: 1,
  navigationTimeoutMs: 30_000,
  evaluateTimeoutMs: 15_000,
  settle: {
    loadTimeoutMs: 20_000,
    idleQuietMs: 300,
    idleTimeoutMs: 5_000,
    scrollTimeoutMs: 15_000,
    maxScrollSteps: 150,
    maxPageHeight: 100_000,
    mediaTimeoutMs: 5_000,
    maxClientRedirects: 5,
  },
  screenshot: { maxHeight: 100_000, maxWidth: 8_192, tileHeight: 8_192, commandTimeoutMs: 30_000 },
  body: { maxBodyBytes: 64 * 1024 * 1024, bodyTimeoutMs: 20_000 },
};

/** Notes of one kind listed one by one before the rest are counted (a page may load hundreds of streams). */
const MAX_NOTES_PER_KIND = 20;

/** A file the capture produced, waiting in the work folder to be stored. */
export interface CapturedFile {
  readonly role: ArtifactRole;
  readonly name: string;
  readonly mediaType: string;
  readonly path: string;
}

/** Everything one page load produced. */
export interface PageCapture {
  readonly record: WebCaptureRecord;
  readonly files: readonly CapturedFile[];
}

/** The stages of a capture, for progress messages. */
export type CaptureStage = 'loading' | 'scrolling' | 'screenshots' | 'snapshot' | 'writing';

/** Where the browser came from and how it was started, for the record. */
export interface BrowserSetup {
  readonly executable: string;
  readonly headless: boolean;
  readonly extraArgs: readonly string[];
}

/**
 * Captures one page in `tab`: loads `url` while recording the network, settles and scrolls it,
 * then takes every artifact from that one load (screenshots, MHTML, DOM, text), writes the WARC and
 * the capture record into `workDir`. Fails (nothing to store) when the page cannot be loaded or the
 * browser goes away. Storing the files is the caller's job.
 */
export async function capturePage(
  tab: CaptureTab,
  url: URL,
  workDir: string,
  subject: CaptureSubject,
  browser: BrowserSetup,
  options: CaptureOptions = DEFAULT_CAPTURE_OPTIONS,
  onStage: (stage: CaptureStage) => void = () => undefined,
): Promise<PageCapture> {
  // Once the tab is gone the capture that lost the race is abandoned: it reports no more stages
  // and stops waiting for a load event that cannot come. (Before, `custos capture` printed its
  // failure, then "scrolling through …", and exited when the 20 s load wait ran out.)
  const abandon = new AbortController();
  const crashed = new Promise<never>((_, reject) => {
    const lose = (reason: Error) => {
      abandon.abort(reason);
      reject(reason);
    };
    void tab.lost.then(lose);
    tab.session.on('Inspector.targetCrashed', () =>
      lose(operationFailure('the page crashed the browser tab during the capture')),
    );
  });
  const stage = (name: CaptureStage) => {
    if (!abandon.signal.aborted) onStage(name);
  };
  const job = captureInTab(tab.session, url, workDir, subject, browser, options, stage, abandon.signal);
  // Whichever loses the race must not surface later as an unhandled rejection.
  job.catch(() => undefined);
  crashed.catch(() => undefined);
  try {
    return await Promise.race([job, crashed]);
  } catch (error) {
    throw error instanceof Error && !('kind' in error)
      ? operationFailure(`could not capture ${url.href}: ${error.message}`, { cause: error })
      : error;
  }
}

/** A page whose traffic is being recorded, from the first request of its load, ready to be captured. */
export interface RecordedPage {
  readonly session: CdpSession;
  readonly mainFrameId: string;
  readonly recorder: NetworkRecorder;
  readonly spool: BodySpool;
  readonly guard: PageGuard;
  readonly lifecycle: MainFrameLifecycle;
  /** `Chromium/<version>`, as the browser names itself. */
  readonly product: string;
  readonly userAgent: string;
}

/**
 * A page the investigator sees in the app's live view: captured as it is, without loading it again.
 * Its window keeps its own size; the scroll position is put back after the engine has scrolled.
 */
export interface LivePageContext {
  /** When the top document's load began (its first request). */
  readonly loadStartedAt: Date;
}

/** What `collectArtifacts` needs besides the page. */
export interface CollectContext {
  readonly requestedUrl: URL;
  readonly startedAt: Date;
  readonly notes: string[];
  readonly workDir: string;
  readonly subject: CaptureSubject;
  readonly browser: BrowserSetup;
  readonly options: CaptureOptions;
  readonly onStage: (stage: CaptureStage) => void;
  /** Waits for the bodies still being stored; a capture by URL also stops recording here. */
  readonly finishRecording: () => Promise<void>;
  readonly live: LivePageContext | null;
}

/**
 * The user agent of Chrome for Android of the same version as this browser: what a phone sends,
 * so that platforms serve their mobile pages (the version stays the engine's own, truthfully).
 */
export function mobileUserAgent(desktopAgent: string): string {
  const version = /Chrome\/([\d.]+)/.exec(desktopAgent)?.[1] ?? '0.0.0.0';
  return `Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${version} Mobile Safari/537.36`;
}

/** Sets a fresh tab up for recording; the commands go out together, run in order before the navigation. */
async function recordPage(
  session: CdpSession,
  spool: BodySpool,
  options: CaptureOptions,
): Promise<RecordedPage & { readonly detachChildren: () => void }> {
  const recorder = new NetworkRecorder(spool);
  const guard = new PageGuard();
  const policy = guard.documentPolicy;
  const mainFrameId = (await session.send('Page.getFrameTree')).frameTree.frame.id;
  const [version, lifecycle] = await Promise.all([
    session.send('Browser.getVersion').catch(async () => ({
      // An embedding app may not offer the Browser domain: the page itself says what it runs in.
      product: 'Chromium/unknown',
      userAgent: String(
        (await session.send('Runtime.evaluate', { expression: 'navigator.userAgent' })).result.value,
      ),
    })),
    MainFrameLifecycle.start(session, mainFrameId),
    session.send('Inspector.enable').catch(() => undefined),
    guard.guardPage(session, mainFrameId),
    recorder.attach(session),
    interceptFetch(session, recorder, policy, options.body),
    session.send('Emulation.setDeviceMetricsOverride', {
      width: options.viewport.width,
      height: options.viewport.height,
      deviceScaleFactor: options.deviceScaleFactor,
      mobile: options.mobile ?? false,
    }),
    options.mobile
      ? session.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 5 })
      : undefined,
  ]);
  // Sites serve a headless browser differently; the page must be seen as a person's browser sees it.
  const desktopAgent = version.userAgent.replace(/HeadlessChrome/g, 'Chrome');
  const userAgent = options.mobile ? mobileUserAgent(desktopAgent) : desktopAgent;
  await session.send('Emulation.setUserAgentOverride', { userAgent });
  const detachChildren = await attachChildTargets(session, async (child, target) => {
    // The network first (the child may be let go by another client, Playwright, at any moment),
    // and everything sent at once.
    await Promise.all([
      recorder.attach(child),
      child.send('Network.setUserAgentOverride', { userAgent }).catch(() => undefined),
      target.type === 'iframe' ? guard.guardFrameTarget(child) : undefined,
      // Dedicated workers have no Fetch domain: their requests pause in their page's instead.
      interceptFetch(child, recorder, policy, options.body).catch(() => undefined),
    ]);
  });
  return {
    session,
    mainFrameId,
    recorder,
    spool,
    guard,
    lifecycle,
    product: version.product,
    userAgent,
    detachChildren,
  };
}

async function captureInTab(
  session: CdpSession,
  url: URL,
  workDir: string,
  subject: CaptureSubject,
  browser: BrowserSetup,
  options: CaptureOptions,
  onStage: (stage: CaptureStage) => void,
  abandoned: AbortSignal,
): Promise<PageCapture> {
  const spool = await BodySpool.create(path.join(workDir, 'bodies.spool'));
  try {
    const page = await recordPage(session, spool, options);
    if (abandoned.aborted) page.lifecycle.end();
    else abandoned.addEventListener('abort', () => page.lifecycle.end(), { once: true });
    const startedAt = new Date();
    onStage('loading');
    const navigation = await withTimeout(
      session.send('Page.navigate', { url: url.href, transitionType: 'typed' }),
      options.navigationTimeoutMs,
      `the server at ${url.host} did not answer within ${seconds(options.navigationTimeoutMs)}`,
    ).catch((error: Error) => {
      // No answer in time: the server was not reached (a watch records it as unreachable).
      throw operationFailure(`could not capture ${url.href}: ${error.message}`, {
        cause: new NetworkUnreachable(`navigation timeout: ${error.message}`),
      });
    });
    const emptyErrorPage = answeredWithEmptyError(navigation.errorText);
    if (navigation.errorText && !emptyErrorPage) {
      throw navigationFailure(url, navigation.errorText, page.recorder.lastDocumentUrl(navigation.frameId));
    }
    const notes = await settleAfterNavigation(page.lifecycle, page.recorder, options.settle);
    if (emptyErrorPage) notes.push(EMPTY_ERROR_PAGE_NOTE);
    page.guard.lockNavigation();
    return await collectArtifacts(page, {
      requestedUrl: url,
      startedAt,
      notes,
      workDir,
      subject,
      browser,
      options,
      onStage,
      finishRecording: async () => {
        await page.recorder.stop();
        page.detachChildren();
      },
      live: null,
    });
  } finally {
    await spool.close();
  }
}

/**
 * Whether the browser's navigation error only says that the server answered an error status (4xx,
 * 5xx) with no body: the server did answer, and that it said the page is gone is evidence like any
 * other error page, so it is captured (the browser shows its own error page in place of a body).
 */
function answeredWithEmptyError(errorText: string | undefined): boolean {
  return errorText?.replace(/^net::/, '') === 'ERR_HTTP_RESPONSE_CODE_FAILURE';
}

const EMPTY_ERROR_PAGE_NOTE =
  "the server's error answer had no body of its own: the screenshots, DOM and text show the error page the browser puts in its place; the server's answer itself (status and headers) is in the WARC";

/**
 * Takes every artifact from a loaded page (screenshots, MHTML, DOM, text), then writes the WARC of
 * its recorded traffic and the capture record into the work folder: the part of a capture that is
 * the same for a page the engine loaded and for the page in the app's live view.
 */
export async function collectArtifacts(page: RecordedPage, context: CollectContext): Promise<PageCapture> {
  const { session, mainFrameId, recorder, spool } = page;
  const { requestedUrl: url, startedAt, notes, workDir, subject, options, onStage, live } = context;
  const file = (name: string) => path.join(workDir, name);
  const world = new IsolatedWorld(session, mainFrameId, options.evaluateTimeoutMs);
  const seen = live ? await readLiveView(world) : null;
  const viewportSize = seen ? { width: seen.width, height: seen.height } : options.viewport;
  const deviceScaleFactor = seen ? seen.scale : options.deviceScaleFactor;
  onStage('scrolling');
  const scroll = await scrollAndLoadMedia(world, recorder, options.settle, notes);

  onStage('screenshots');
  // The live view's viewport screenshot is what the investigator saw: at their scroll position.
  await restoreLiveScroll(world, seen);
  await waitForPdfViewer(session, world, viewportSize, notes);
  const viewport = { ...viewportSize, deviceScaleFactor, mobile: !seen && (options.mobile ?? false) };
  const shot = await takeScreenshots(
    session,
    world,
    file,
    viewport,
    options.screenshot,
    live !== null,
    notes,
  );

  onStage('snapshot');
  const facts = await takeSnapshots(session, world, file, options.screenshot.commandTimeoutMs);
  await restoreLiveScroll(world, seen);

  await context.finishRecording();
  const endedAt = new Date();
  const exchanges = await recorder.exchanges();
  const { main, tls } = await findCapturedDocument(page, exchanges, url, notes);
  noteViewerDocument(facts.contentType, notes);
  noteUnstoredBodies(exchanges, notes);
  noteBrowserAnswers(recorder.browserAnswered(), notes);

  onStage('writing');
  const workstation = workstationFacts(startedAt);
  const warcInfo = pageWarcInfo(subject, url, page.userAgent, workstation.tool);
  const warc = await writeWarc(file('page.warc.gz'), 'page.warc.gz', warcInfo, exchanges, spool);
  noteWarcChanges(warc, notes);
  noteStillLoading(exchanges, notes);

  const record = webCaptureRecord({
    page,
    context,
    endedAt,
    workstation,
    viewportSize,
    deviceScaleFactor,
    seen,
    scroll,
    shot,
    facts,
    main,
    tls,
    exchanges,
    warc,
  });
  await fs.writeFile(file('metadata.json'), `${JSON.stringify(record, null, 2)}\n`, 'utf8');
  return { record, files: pageCaptureFiles(file) };
}

/** The live view's window size and where the investigator had scrolled to. */
interface LiveViewState {
  readonly width: number;
  readonly height: number;
  readonly scale: number;
  readonly x: number;
  readonly y: number;
}

/** Everything the capture record is made of, gathered by the steps of `collectArtifacts`. */
interface RecordParts {
  readonly page: RecordedPage;
  readonly context: CollectContext;
  readonly endedAt: Date;
  readonly workstation: ReturnType<typeof workstationFacts>;
  readonly viewportSize: CaptureOptions['viewport'];
  readonly deviceScaleFactor: number;
  readonly seen: LiveViewState | null;
  readonly scroll: ScrollResult;
  readonly shot: FullPageShot;
  readonly facts: PageFacts;
  readonly main: MainDocument;
  readonly tls: TlsInfo | null;
  readonly exchanges: readonly Exchange[];
  readonly warc: WarcSummary;
}

/** Reads the live view's own window size and scroll position, before the engine scrolls. */
function readLiveView(world: IsolatedWorld): Promise<LiveViewState> {
  return world.evaluate<LiveViewState>(
    '({ width: innerWidth, height: innerHeight, scale: devicePixelRatio, x: scrollX, y: scrollY })',
  );
}

/** Puts the live view back where the investigator had scrolled to; a page the engine loaded stays put. */
async function restoreLiveScroll(world: IsolatedWorld, seen: LiveViewState | null): Promise<void> {
  if (seen)
    await world.evaluate(
      `(async () => { window.scrollTo(${seen.x}, ${seen.y}); await ${NEXT_FRAMES}; return true; })()`,
    );
}

/** Scrolls through the page so lazy content loads, then waits for fonts and images; notes what did not finish. */
async function scrollAndLoadMedia(
  world: IsolatedWorld,
  recorder: NetworkRecorder,
  limits: SettleLimits,
  notes: string[],
): Promise<ScrollResult> {
  const scroll = await scrollThrough(world, recorder, limits);
  if (scroll.stoppedBy !== 'bottom') notes.push(scrollNote(scroll.stoppedBy, scroll.steps, limits));
  const media = await waitForFontsAndImages(world, limits.mediaTimeoutMs);
  if (!media.fontsReady)
    notes.push(`web fonts had not finished loading after ${seconds(limits.mediaTimeoutMs)}`);
  if (media.pendingImages > 0) {
    notes.push(
      `${media.pendingImages} image(s) had not finished loading after ${seconds(limits.mediaTimeoutMs)}`,
    );
  }
  return scroll;
}

/**
 * For a PDF shown in Chromium's PDF viewer, waits (bounded) until the viewer has drawn it, so that
 * the screenshots show the document and not the empty viewer; notes when it was not seen drawn.
 */
async function waitForPdfViewer(
  session: CdpSession,
  world: IsolatedWorld,
  viewport: CaptureOptions['viewport'],
  notes: string[],
): Promise<void> {
  if ((await world.evaluate<string>('document.contentType')) !== 'application/pdf') return;
  if (await waitForPdfDrawn(session, viewport, PDF_DRAW_TIMEOUT_MS)) return;
  notes.push(
    `the browser's PDF viewer had not drawn the document after ${seconds(PDF_DRAW_TIMEOUT_MS)}: the screenshots may show the empty viewer; the PDF itself is in the WARC`,
  );
}

/** Writes viewport.png and screenshot.png (the full page); notes a cut screenshot and blank foreign frames. */
async function takeScreenshots(
  session: CdpSession,
  world: IsolatedWorld,
  file: (name: string) => string,
  viewport: Viewport,
  limits: ScreenshotLimits,
  live: boolean,
  notes: string[],
): Promise<FullPageShot> {
  await fs.writeFile(file('viewport.png'), await captureViewport(session, limits));
  let shot: FullPageShot;
  try {
    shot = await captureFullPage(session, file('screenshot.png'), viewport, limits, () => world.nextFrames());
  } finally {
    // The live view goes back to its own size, whatever the full-page screenshot did to it.
    if (live) await session.send('Emulation.clearDeviceMetricsOverride').catch(() => undefined);
  }
  if (shot.truncated) {
    notes.push(
      `the page is ${shot.pageWidth}x${shot.pageHeight} CSS px; the full-page screenshot was cut to ${shot.width}x${shot.height}`,
    );
  }
  if (shot.method === 'beyond-viewport' && (await hasFramesFromOtherSites(session))) {
    notes.push(
      'the page embeds frames from other sites, which Chromium leaves blank when it paints beyond the window: see the viewport screenshot, the MHTML and the WARC for their content',
    );
  }
  return shot;
}

/** Writes page.mhtml, page.html and page.txt, and reads what the page says about itself. */
async function takeSnapshots(
  session: CdpSession,
  world: IsolatedWorld,
  file: (name: string) => string,
  commandTimeoutMs: number,
): Promise<PageFacts> {
  // Four independent reads of the same settled page, asked for at once.
  const [{ data: mhtml }, html, text, facts] = await Promise.all([
    withTimeout(
      session.send('Page.captureSnapshot', { format: 'mhtml' }),
      commandTimeoutMs,
      `the browser did not produce the MHTML snapshot within ${seconds(commandTimeoutMs)}`,
    ),
    serialiseDom(world),
    visibleText(world),
    readPageFacts(world),
  ]);
  await Promise.all([
    fs.writeFile(file('page.mhtml'), mhtml, 'utf8'),
    fs.writeFile(file('page.html'), html),
    fs.writeFile(file('page.txt'), text),
  ]);
  return facts;
}

/** The top frame's document and its TLS; fails when there is none, notes an error status. */
async function findCapturedDocument(
  page: RecordedPage,
  exchanges: readonly Exchange[],
  url: URL,
  notes: string[],
): Promise<{ readonly main: MainDocument; readonly tls: TlsInfo | null }> {
  const main = findMainDocument(exchanges, page.mainFrameId, page.lifecycle.loaderId, url);
  if (!main) throw operationFailure(`could not capture ${url.href}: the browser received no document for it`);
  const tls = main.response.securityDetails
    ? await describeTls(page.session, main.finalUrl, main.response.securityDetails)
    : null;
  if (main.response.status >= 400) {
    notes.push(
      `the server answered ${main.response.statusLine.replace(/^HTTP\/\S+\s*/, '')}: the content may have been removed`,
    );
  }
  return { main, tls };
}

/** Document types whose DOM is the server's own markup, parsed; the browser shows any other in a page of its own. */
const MARKUP_TYPES = /^(text\/html|application\/xhtml\+xml|(text|application|image)\/([\w.-]+\+)?xml)$/i;

/**
 * Notes that a top document that is not markup (a PDF, an image, JSON, plain text) is shown by the
 * browser in a page of its own making, which is what the html, MHTML and text artifacts hold: the
 * roles stay, as the contract lists them, and the record says what they are.
 */
function noteViewerDocument(contentType: string, notes: string[]): void {
  if (MARKUP_TYPES.test(contentType)) return;
  const shownIn =
    contentType === 'application/pdf'
      ? "its PDF viewer: the html, MHTML and text are of the viewer's page and hold none of the PDF's content"
      : 'a page of its own: the html and MHTML are of that page, and the text is what it shows';
  notes.push(
    `the address answered ${contentType}, not a web page, which the browser shows in ${shownIn}; the server's answer itself, byte for byte, is in the WARC`,
  );
}

/** Notes the requests the browser answered itself, left out of the WARC, by address and then counted. */
function noteBrowserAnswers(urls: readonly string[], notes: string[]): void {
  noteEachThenCount(
    urls,
    (url) =>
      `${url}: answered by the browser itself, not by a server (as Chromium answers the frame its PDF viewer shows a PDF in), so that answer is not in the WARC`,
    (more) => `${more} more requests answered by the browser itself are not in the WARC`,
    notes,
  );
}

/** Notes the response bodies that were not stored, the first few by address and the rest counted. */
function noteUnstoredBodies(exchanges: readonly Exchange[], notes: string[]): void {
  noteEachThenCount(
    exchanges.filter((e) => e.bodyProblem && !e.bodyProblem.startsWith('no body')),
    (exchange) => `${exchange.url}: ${exchange.bodyProblem}`,
    (more) => `${more} more response bodies were not stored (see WARC-Truncated in the WARC)`,
    notes,
  );
}

/** The WARC's `warcinfo` fields: the tool, who captured for which case, and the browser's user agent. */
function pageWarcInfo(
  subject: CaptureSubject,
  url: URL,
  userAgent: string,
  tool: { readonly name: string; readonly version: string },
): WarcInfoFields {
  return {
    software: `${tool.name} ${tool.version}`,
    format: 'WARC File Format 1.1',
    operator:
      subject.investigator.name + (subject.investigator.agency ? `, ${subject.investigator.agency}` : ''),
    isPartOf: `case ${subject.case.number}`,
    description: `Capture of ${url.href}`,
    'http-header-user-agent': userAgent,
    robots: 'ignore',
  };
}

/** Notes how the WARC differs from the bytes on the wire: decoded bodies, bodies from text, withheld credentials. */
function noteWarcChanges(warc: WarcSummary, notes: string[]): void {
  if (warc.decodedResponses > 0) {
    notes.push(
      `${warc.decodedResponses} response(s) are stored in the WARC after HTTP content decoding (the browser hands over decoded bodies): their Content-Encoding, Transfer-Encoding and original Content-Length headers are kept as X-Custos-Orig-… and Content-Length gives the stored length`,
    );
  }
  if (warc.bodiesFromDecodedText > 0) {
    notes.push(
      `${warc.bodiesFromDecodedText} body(ies) came from the browser's decoded text and were stored as UTF-8, not as the original bytes`,
    );
  }
  if (warc.credentialsWithheld > 0) {
    notes.push(
      `${warc.credentialsWithheld} Cookie/Authorization request header value(s) are replaced in the WARC by their SHA-256, so that the evidence does not carry the browser's login sessions`,
    );
  }
}

/** Notes the requests still loading when the page was captured, the first few by address and the rest counted. */
function noteStillLoading(exchanges: readonly Exchange[], notes: string[]): void {
  noteEachThenCount(
    exchanges.filter((e) => e.state === 'pending' && !e.bodyProblem),
    (exchange) => `${exchange.url}: still loading when the page was captured`,
    (more) => `${more} more requests were still loading when the page was captured`,
    notes,
  );
}

/** Notes the first `MAX_NOTES_PER_KIND` items one by one and counts the rest in one note. */
function noteEachThenCount<T>(
  items: readonly T[],
  noteOne: (item: T) => string,
  noteRest: (more: number) => string,
  notes: string[],
): void {
  for (const item of items.slice(0, MAX_NOTES_PER_KIND)) notes.push(noteOne(item));
  if (items.length > MAX_NOTES_PER_KIND) notes.push(noteRest(items.length - MAX_NOTES_PER_KIND));
}

/** The capture record (`metadata.json`): what was asked, what answered, how and by whom it was captured. */
function webCaptureRecord(parts: RecordParts): WebCaptureRecord {
  const { page, context, endedAt, workstation, viewportSize, deviceScaleFactor, seen, scroll } = parts;
  const { shot, facts, main, tls, exchanges, warc } = parts;
  const { requestedUrl: url, startedAt, notes, subject, browser, live } = context;
  const version = page.product;
  return {
    recordType: 'custos.web-capture',
    recordVersion: 1,
    requestedUrl: url.href,
    finalUrl: main.finalUrl,
    documentUrl: facts.documentUrl,
    redirectChain: main.redirectChain,
    httpStatus: main.response.status,
    statusLine: main.response.statusLine,
    responseHeaders: main.response.headers,
    responseHeadersFrom: main.response.headersFrom,
    server: {
      ip: main.response.remoteIPAddress?.replace(/^\[(.*)\]$/, '$1') ?? null,
      port: main.response.remotePort ?? null,
      protocol: main.response.protocol ?? null,
    },
    tls,
    page: pageFactsForRecord(facts),
    capture: {
      startedAt: startedAt.toISOString(),
      endedAt: endedAt.toISOString(),
      timeZone: workstation.timeZone,
      utcOffset: workstation.utcOffset,
      // The store's settings this capture waited by (Settings, capture defaults).
      timeouts: {
        navigationMs: context.options.navigationTimeoutMs,
        loadMs: context.options.settle.loadTimeoutMs,
      },
    },
    browser: {
      product: version.split('/')[0] ?? version,
      version: version.split('/')[1] ?? version,
      userAgent: page.userAgent,
      viewport: viewportSize,
      deviceScaleFactor,
      mobile: !seen && (context.options.mobile ?? false),
      headless: browser.headless,
      executable: browser.executable,
      extraArgs: browser.extraArgs,
      persona: subject.persona,
    },
    tool: workstation.tool,
    os: workstation.os,
    investigator: subject.investigator,
    case: subject.case,
    screenshot: { ...shot, viewportWidth: viewportSize.width, viewportHeight: viewportSize.height },
    scroll,
    network: {
      requests: exchanges.length,
      failed: exchanges.filter((e) => e.state === 'failed').length,
      unfinished: exchanges.filter((e) => e.state === 'pending').length,
      warc,
    },
    blocked: page.guard.blocked,
    blockedNotListed: page.guard.unlisted,
    notes,
    ...(live && seen
      ? {
          live: {
            view: 'live' as const,
            pageLoadStartedAt: live.loadStartedAt.toISOString(),
            scrollX: seen.x,
            scrollY: seen.y,
          },
        }
      : {}),
  };
}

/** The files a page capture leaves in the work folder, with their roles and media types. */
function pageCaptureFiles(file: (name: string) => string): CapturedFile[] {
  return [
    { role: 'screenshot', name: 'screenshot.png', mediaType: 'image/png', path: file('screenshot.png') },
    { role: 'viewport', name: 'viewport.png', mediaType: 'image/png', path: file('viewport.png') },
    { role: 'mhtml', name: 'page.mhtml', mediaType: 'multipart/related', path: file('page.mhtml') },
    { role: 'warc', name: 'page.warc.gz', mediaType: 'application/warc', path: file('page.warc.gz') },
    { role: 'html', name: 'page.html', mediaType: 'text/html; charset=utf-8', path: file('page.html') },
    { role: 'text', name: 'page.txt', mediaType: 'text/plain; charset=utf-8', path: file('page.txt') },
    {
      role: 'metadata',
      name: 'metadata.json',
      mediaType: 'application/json',
      path: file('metadata.json'),
    },
  ];
}

/**
 * The page facts of the record. The browser's own error page (shown for an error answer with no
 * body) has a title of its own, the server's host name: the server gave none, so the record has
 * none, as for a page without a <title>.
 */
function pageFactsForRecord({ documentUrl, ...facts }: PageFacts): Omit<PageFacts, 'documentUrl'> {
  return documentUrl.startsWith('chrome-error:') ? { ...facts, title: '' } : facts;
}

async function hasFramesFromOtherSites(session: CdpSession): Promise<boolean> {
  const { frameTree } = await session.send('Page.getFrameTree');
  const top = frameTree.frame.securityOrigin;
  const walk = (tree: typeof frameTree): boolean =>
    (tree.childFrames ?? []).some((child) => child.frame.securityOrigin !== top || walk(child));
  return walk(frameTree);
}

function scrollNote(
  stoppedBy: 'height-limit' | 'step-limit' | 'time-limit',
  steps: number,
  limits: SettleLimits,
): string {
  if (stoppedBy === 'height-limit') {
    return `scrolling stopped at the ${limits.maxPageHeight} px height limit; the page (an endless feed?) may go on below`;
  }
  if (stoppedBy === 'step-limit') return `scrolling stopped after ${steps} screens; the page may go on below`;
  return `scrolling stopped after ${seconds(limits.scrollTimeoutMs)} (${steps} screens); the page may go on below`;
}
