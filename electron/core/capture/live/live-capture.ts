import fs from 'node:fs/promises';
import path from 'node:path';
import type { Protocol } from 'devtools-protocol';
import { badInput } from '../../errors.js';
import { makeSystemTempDir } from '../../system-temp.js';
import { BodySpool } from '../engine/body-spool.js';
import type { BrowserSetup, CaptureOptions, CaptureStage, PageCapture } from '../engine/capture-page.js';
import type { CaptureSubject } from '../engine/capture-record.js';
import {
  type CdpCommand,
  type CdpEvent,
  CdpEventHub,
  type CdpEventPayload,
  type CdpParams,
  type CdpResult,
  type CdpSession,
} from '../engine/cdp-session.js';
import { attachChildTargets } from '../engine/child-targets.js';
import { type BodySink, type DocumentPolicy, interceptFetch } from '../engine/fetch-interceptor.js';
import { NetworkRecorder } from '../engine/network-recorder.js';
import { type BlockedKind, PageGuard } from '../engine/page-guard.js';
import { MainFrameLifecycle, waitForNetworkIdle } from '../engine/page-settle.js';
import { seconds } from '../engine/timing.js';
import { type VideoLimits, type VideoProgress, VideoRecording } from '../video/video-capture.js';
import type { VideoEncoderPage } from '../video/video-encoder.js';
import { type AreaCapture, type AreaRequest, captureArea } from './area-capture.js';

/**
 * A session whose subscribers can all be dropped at once: each page load's recorder listens
 * through one generation, and the next page load starts the next generation.
 */
class GenerationSession implements CdpSession {
  private hub = new CdpEventHub();
  private readonly forwarded = new Set<string>();

  constructor(private readonly inner: CdpSession) {}

  /** Drops every subscriber of the previous generation. */
  next(): void {
    this.hub = new CdpEventHub();
  }

  send<M extends CdpCommand>(method: M, ...params: CdpParams<M>): Promise<CdpResult<M>> {
    return this.inner.send(method, ...params);
  }

  on<E extends CdpEvent>(event: E, handler: (payload: CdpEventPayload<E>) => void): () => void {
    if (!this.forwarded.has(event)) {
      this.forwarded.add(event);
      this.inner.on(event, (payload) => this.hub.emit(event, payload));
    }
    return this.hub.on(event, handler);
  }
}

/** One page load in the live view: its traffic from the first request on. */
interface PageLoad {
  readonly recorder: NetworkRecorder;
  readonly spool: BodySpool;
  readonly spoolFile: string;
  readonly startedAt: Date;
  /** The address the load began with (a link shortener's, when the page forwarded itself). */
  readonly url: string;
  /** Client-side redirects (meta refresh, script) followed within this load. */
  clientRedirects: number;
}

/** How a page moves itself on without the investigator (what link shorteners do). */
const CLIENT_REDIRECT_REASONS = new Set(['metaTagRefresh', 'httpHeaderRefresh', 'scriptInitiated']);
/** A page that moves itself on later than this after its load began is a new page load. */
const CLIENT_REDIRECT_WINDOW_MS = 15_000;
const MAX_CLIENT_REDIRECTS = 5;

/** Where the investigator is in the live view. */
export interface LivePageState {
  readonly url: string;
  readonly loadStartedAt: string;
  readonly requests: number;
}

/** Who the live view is, for the records of its captures. */
export interface LiveViewSetup {
  /** The persona whose partition the view shows, or null for a forgotten, in-memory one. */
  readonly persona: string | null;
  /** How the record describes the browser (the app's own Chromium). */
  readonly browser: BrowserSetup;
  readonly options: CaptureOptions;
}

/**
 * The live capture browser's recording, on plain CDP: attached to the view's page before it loads
 * anything, it starts a new recording at the first request of every top-level page load (the
 * investigator typing an address, following a link, going back), so that "Capture page" takes every
 * artifact of the capture engine from the page exactly as the investigator has it, with the
 * network of its whole load, without loading it again. While a capture runs, the page may not
 * navigate away; otherwise the investigator browses freely. Downloads are refused (their bytes
 * stay in the WARC), dialogs dismissed, and every such attempt goes into the next capture's record.
 */
export class LiveCapture {
  private load: PageLoad | null = null;
  private loads = 0;
  private capturing = 0;
  /** Spools of earlier page loads, closed once no capture reads them. */
  private retired: PageLoad[] = [];
  private closed = false;
  private videoStarting = false;
  /** The video being recorded, from its start until it is stored or discarded. */
  private video: VideoRecording | null = null;

  private constructor(
    readonly session: CdpSession,
    readonly setup: LiveViewSetup,
    private readonly workDir: string,
    private readonly generations: GenerationSession,
    readonly mainFrameId: string,
    readonly guard: PageGuard,
    readonly lifecycle: MainFrameLifecycle,
    readonly product: string,
    readonly userAgent: string,
  ) {}

  /** Attaches to the view's page (call before it loads its first page). */
  static async start(session: CdpSession, setup: LiveViewSetup): Promise<LiveCapture> {
    const workDir = makeSystemTempDir('live');
    const mainFrameId = (await session.send('Page.getFrameTree')).frameTree.frame.id;
    const guard = new PageGuard();
    const version = await session.send('Browser.getVersion').catch(async () => ({
      product: 'Chromium/unknown',
      userAgent: String(
        (await session.send('Runtime.evaluate', { expression: 'navigator.userAgent' })).result.value,
      ),
    }));
    const lifecycle = await MainFrameLifecycle.start(session, mainFrameId);
    const live = new LiveCapture(
      session,
      setup,
      workDir,
      new GenerationSession(session),
      mainFrameId,
      guard,
      lifecycle,
      version.product,
      version.userAgent,
    );
    // Before any recorder listens: a new page load must have its recorder when its first request is seen.
    session.on('Page.frameRequestedNavigation', (event) => {
      if (event.frameId === mainFrameId && CLIENT_REDIRECT_REASONS.has(event.reason)) {
        live.clientRedirectTo = event.url;
      }
    });
    session.on('Network.requestWillBeSent', (event) => {
      if (!live.isNewPageLoad(event)) return;
      if (live.isClientRedirect(event)) live.continuePageLoad(event.request.url);
      // The network's URL lacks the #fragment the investigator opened: it is kept apart (CDP's urlFragment).
      else live.startPageLoad(event.request.url + (event.request.urlFragment ?? ''));
    });
    live.startPageLoad('about:blank');
    const sink: BodySink = {
      addPausedResponse: (id, event) => live.load?.recorder.addPausedResponse(id, event),
      addFetchedBody: (id, url, body) => live.load?.recorder.addFetchedBody(id, url, body),
    };
    await Promise.all([
      session.send('Inspector.enable').catch(() => undefined),
      guard.guardPage(session, mainFrameId),
      interceptFetch(session, sink, live.documentPolicy, setup.options.body),
    ]);
    // Frames from other sites and workers, where the embedding app lets the engine reach them.
    await attachChildTargets(session, async (child, target) => {
      const current = live.load;
      await Promise.all([
        current?.recorder.attach(child),
        target.type === 'iframe' ? guard.guardFrameTarget(child) : undefined,
        interceptFetch(child, sink, live.documentPolicy, setup.options.body).catch(() => undefined),
      ]);
    }).catch(() => undefined);
    return live;
  }

  /** The page now shown and how much of its load was recorded. */
  get state(): LivePageState | null {
    const load = this.load;
    if (!load || load.url === 'about:blank') return null;
    return { url: load.url, loadStartedAt: load.startedAt.toISOString(), requests: 0 };
  }

  /** Writes down something the app refused on the page's behalf (a pop-up, a download, a permission). */
  noteBlocked(kind: BlockedKind, detail: string, url?: string): void {
    this.guard.record(kind, detail, url);
  }

  /**
   * Captures the page as it is now, with every artifact of the capture engine and the network
   * recorded since its load began. Fails (nothing to store) when no web page is shown.
   */
  async capturePage(
    workDir: string,
    subject: CaptureSubject,
    onStage: (stage: CaptureStage) => void = () => undefined,
  ): Promise<PageCapture> {
    const load = this.load;
    if (!load || !/^https?:/i.test(load.url)) {
      throw badInput('the live view shows no web page yet: enter an address and let it load, then capture');
    }
    const { collectArtifacts } = await import('../engine/capture-page.js');
    const { options } = this.setup;
    this.capturing++;
    try {
      const notes: string[] = [];
      if (
        !(await waitForNetworkIdle(load.recorder, options.settle.idleQuietMs, options.settle.idleTimeoutMs))
      ) {
        notes.push(
          `the network had not gone quiet after ${seconds(options.settle.idleTimeoutMs)} (${load.recorder.inFlight} requests still open); the page was captured as it was then`,
        );
      }
      if (load !== this.load) throw badInput('the page changed while the capture started; capture it again');
      return await collectArtifacts(
        {
          session: this.session,
          mainFrameId: this.mainFrameId,
          recorder: load.recorder,
          spool: load.spool,
          guard: this.guard,
          lifecycle: this.lifecycle,
          product: this.product,
          userAgent: this.userAgent,
        },
        {
          requestedUrl: new URL(load.url),
          startedAt: new Date(),
          notes,
          workDir,
          subject,
          browser: this.setup.browser,
          options,
          onStage,
          finishRecording: () => load.recorder.flush(),
          live: { loadStartedAt: load.startedAt },
        },
      );
    } finally {
      this.capturing--;
      if (this.capturing === 0) await this.closeRetired();
    }
  }

  /** A PNG of the visible area or of a region of it, with its record (see area-capture.ts). */
  captureArea(request: AreaRequest, workDir: string, subject: CaptureSubject): Promise<AreaCapture> {
    return this.holdingPage(() =>
      captureArea(this.session, this.mainFrameId, request, workDir, subject, {
        ...this.setup.browser,
        product: this.product,
        userAgent: this.userAgent,
      }),
    );
  }

  /**
   * Starts a video of the view (see video-capture.ts). The investigator goes on browsing: the
   * page may navigate, and each page load goes into the video's record. One video at a time.
   */
  async startVideo(
    encoder: VideoEncoderPage,
    workDir: string,
    limits: VideoLimits,
    onProgress?: (progress: VideoProgress) => void,
  ): Promise<VideoRecording> {
    if (this.video || this.videoStarting) {
      throw badInput('a video of the live view is already being recorded: stop it before starting another');
    }
    if (!this.load || !/^https?:/i.test(this.load.url)) {
      throw badInput('the live view shows no web page yet: enter an address and let it load, then record');
    }
    this.videoStarting = true;
    try {
      this.video = await VideoRecording.start(
        this.session,
        this.mainFrameId,
        encoder,
        workDir,
        limits,
        onProgress,
      );
      return this.video;
    } finally {
      this.videoStarting = false;
    }
  }

  /**
   * Asks the video being recorded to stop; the caller that started it stores it. Refused (nothing
   * changes) when no video is being recorded, or when it has already stopped.
   */
  stopVideo(): VideoProgress {
    const video = this.video;
    if (!video) {
      throw badInput(
        this.videoStarting
          ? 'the video is still starting: stop it once it records'
          : 'no video of the live view is being recorded: start one with Record video',
      );
    }
    if (!video.requestStop()) {
      const why =
        video.stopReason === 'size-limit'
          ? `it stopped at its size limit (${video.limits.maxBytes} bytes)`
          : video.stopReason === 'duration-limit'
            ? `it stopped at its duration limit (${video.limits.maxSeconds} s)`
            : 'it was already stopped';
      throw badInput(`the video is no longer recording: ${why}; it is being stored`);
    }
    return video.progress;
  }

  /** How far the video being recorded has got; null when none is. */
  get videoProgress(): VideoProgress | null {
    return this.video?.progress ?? null;
  }

  /** Lets go of a video once it is stored or discarded, so that another can start. */
  releaseVideo(video: VideoRecording): void {
    if (this.video === video) this.video = null;
  }

  /** Runs `work` while the page may not navigate away. */
  private async holdingPage<T>(work: () => Promise<T>): Promise<T> {
    this.capturing++;
    try {
      return await work();
    } finally {
      this.capturing--;
      if (this.capturing === 0) await this.closeRetired();
    }
  }

  /**
   * Stops recording and removes the recording's files (the view's page stays as it is); a video
   * being recorded is stopped, and stored by the call that started it.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // A video being recorded stops here and is still stored (its frames are already in hand).
    this.video?.requestStop();
    this.video = null;
    if (this.load) this.retired.push(this.load);
    this.load = null;
    this.capturing = 0;
    await this.closeRetired();
    await fs.rm(this.workDir, { recursive: true, force: true });
  }

  /** Top-level navigations are free, except while a capture is taking the page. */
  private readonly documentPolicy: DocumentPolicy = {
    request: (event) => {
      if (event.frameId !== this.mainFrameId || this.guard.noteDownload(event)) return null;
      if (this.capturing === 0) return null;
      this.guard.record(
        'navigation',
        'the page tried to navigate away while it was being captured',
        event.request.url,
      );
      return 'navigation during capture';
    },
    response: (event) => this.guard.documentPolicy.response(event),
  };

  /** Where the page last asked to move itself (meta refresh, script), until the next page load. */
  private clientRedirectTo: string | null = null;

  /**
   * Whether a new page load is the page forwarding itself at once, without the investigator (a
   * shortener's meta refresh or script): it continues the same recording, so the capture's
   * redirect chain and WARC begin at the address the investigator opened, as a capture by URL's do.
   */
  private isClientRedirect(event: Protocol.Network.RequestWillBeSentEvent): boolean {
    const target = this.clientRedirectTo;
    this.clientRedirectTo = null;
    const load = this.load;
    return (
      load !== null &&
      /^https?:/i.test(load.url) &&
      target === event.request.url &&
      !event.hasUserGesture &&
      load.clientRedirects < MAX_CLIENT_REDIRECTS &&
      Date.now() - load.startedAt.getTime() < CLIENT_REDIRECT_WINDOW_MS
    );
  }

  private continuePageLoad(url: string): void {
    if (this.load) this.load.clientRedirects++;
    // The video shows where the page went, even when the capture counts it as the same load.
    this.video?.notePageLoad(url, new Date());
  }

  private isNewPageLoad(event: Protocol.Network.RequestWillBeSentEvent): boolean {
    return (
      !this.closed &&
      event.type === 'Document' &&
      event.frameId === this.mainFrameId &&
      event.requestId === event.loaderId &&
      !event.redirectResponse
    );
  }

  /** A new recording, from this request on; the previous page load's is let go. */
  private startPageLoad(url: string): void {
    this.generations.next();
    const spoolFile = path.join(this.workDir, `load-${++this.loads}.spool`);
    const spool = BodySpool.opening(spoolFile);
    const recorder = new NetworkRecorder(spool);
    // Subscribes at once (the announcing event is delivered to it next); the commands it sends are idempotent.
    void recorder.attach(this.generations).catch(() => undefined);
    if (this.load) this.retired.push(this.load);
    this.guard.startOver();
    this.load = { recorder, spool, spoolFile, startedAt: new Date(), url, clientRedirects: 0 };
    this.video?.notePageLoad(url, this.load.startedAt);
    if (this.capturing === 0) void this.closeRetired();
  }

  private async closeRetired(): Promise<void> {
    const retired = this.retired;
    this.retired = [];
    await Promise.all(
      retired.map(async (load) => {
        await load.recorder.stop();
        await load.spool.close().catch(() => undefined);
        await fs.rm(load.spoolFile, { force: true });
      }),
    );
  }
}
