import fs from 'node:fs/promises';
import type { CaptureSettings } from '../../../shared/capture-settings.js';
import type { ArtifactRecord, ItemSummary } from '../../../shared/domain.js';
import {
  asCustosError,
  type BatchControls,
  type BatchFailure,
  type BatchResult,
  checkEntries,
  isCancelled,
  progressFailures,
} from '../batch.js';
import { Cancelled, throwIfCancelled } from '../cancel.js';
import type { EvidenceStore } from '../store/evidence-store.js';
import { makeStoreTempDir } from '../store/store-temp.js';
import { extraChromiumArgs, findChromium } from './browser/browser-discovery.js';
import { existingPersona, type Persona } from './browser/personas.js';
import { launchChromium } from './browser/playwright-browser.js';
import { captureOptionsFrom, readCaptureSettings } from './capture-settings.js';
import { parseCaptureUrl } from './capture-url.js';
import type { CaptureBrowser } from './engine/capture-browser.js';
import type {
  BrowserSetup,
  CapturedFile,
  CaptureOptions,
  CaptureStage,
  PageCapture,
} from './engine/capture-page.js';
import { type CaptureSubject, recordSummary } from './engine/capture-record.js';
import type { ViewRect } from './live/area-capture.js';
import type { LiveCapture } from './live/live-capture.js';
import { checkVideoLimits, type VideoLimits, type VideoProgress } from './video/video-capture.js';
import type { VideoEncoderPage } from './video/video-encoder.js';

/** What to capture and how. */
export interface CaptureRequest extends BatchControls {
  /** Addresses as given (each checked with `parseCaptureUrl`, see `malformed`), or URLs. */
  readonly urls: readonly (string | URL)[];
  readonly caseRef: string;
  readonly persona?: string;
  readonly options?: CaptureOptions;
  readonly onStage?: (url: URL, stage: CaptureStage | 'stored') => void;
  /** A browser to capture with instead of a system Chromium (the desktop app's own). */
  readonly browser?: BrowserProvider;
}

/** Where a caller's own browser comes from, and how it is described in the capture record. */
export interface BrowserProvider {
  readonly setup: BrowserSetup;
  launch(persona: Persona | null): Promise<CaptureBrowser>;
}

/** One address that could not be captured (`subject` as given), and why: nothing was stored for it. */
export type CaptureFailure = BatchFailure;

/** The items made, in the order of the URLs, and the URLs that failed. */
export type CaptureOutcome = BatchResult;

/** The engine proper, loaded while the first browser starts: it pulls in the WARC library. */
let engine: Promise<typeof import('./engine/capture-page.js')> | undefined;
function loadEngine(): Promise<typeof import('./engine/capture-page.js')> {
  engine ??= import('./engine/capture-page.js');
  return engine;
}

/**
 * Captures each URL into the store as one item (docs/ARCHITECTURE.md, "Web capture"): one browser for the run,
 * a fresh profile per page (or the persona's), every artifact hashed while it is stored, and item,
 * artifacts and custody entry committed in one transaction. Every address is checked before a
 * browser starts (a malformed one refuses the run or is reported, per `malformed`); a page that
 * fails leaves nothing in the store and does not stop the others; a crashed browser is replaced
 * for the next page; a cancel stops at the next stage and stores nothing of that page.
 */
export async function captureUrls(store: EvidenceStore, request: CaptureRequest): Promise<CaptureOutcome> {
  const { signal } = request;
  const entries = await checkEntries(
    request.urls,
    (url) => (typeof url === 'string' ? url : url.href),
    (url) => parseCaptureUrl(typeof url === 'string' ? url : url.href),
    request.malformed,
  );
  const persona: Persona | null = request.persona
    ? existingPersona(store.layout.root, request.persona)
    : null;
  const { caseId, subject } = captureSubject(store, request.caseRef, persona?.name ?? null);
  // The store's capture defaults (Settings), unless the caller gives its own options.
  const settings = readCaptureSettings(store.db);
  const setup: BrowserSetup = request.browser?.setup ?? {
    executable: findChromium(),
    headless: true,
    extraArgs: extraChromiumArgs(),
  };
  const items: ItemSummary[] = [];
  const failures: CaptureFailure[] = [];
  const total = entries.length;
  const progress = (done: number, entry: string, stage: string) =>
    request.onProgress?.({ done, total, subject: entry, stage, failures: progressFailures(failures) });
  let browser: CaptureBrowser | null = null;
  let cancelled = false;
  try {
    for (const [done, entry] of entries.entries()) {
      if (signal?.aborted) {
        cancelled = true;
        break;
      }
      if (!entry.ok) {
        failures.push(entry.failure);
        continue;
      }
      const url = entry.value;
      progress(done, entry.subject, 'starting');
      const workDir = makeStoreTempDir(store.layout, 'capture');
      try {
        if (!browser?.connected) {
          await browser?.close();
          browser = null;
          browser = request.browser
            ? await request.browser.launch(persona)
            : await launchChromium({
                executablePath: setup.executable,
                profileDir: persona?.profileDir,
                extraArgs: setup.extraArgs,
                whileStarting: loadEngine,
              });
        }
        const capture = await captureOne(
          browser,
          url,
          workDir,
          subject,
          setup,
          request,
          settings,
          (stage) => {
            // Throwing here stops this page at its next stage; nothing of it is stored.
            throwIfCancelled(signal);
            progress(done, entry.subject, stage);
          },
        );
        const item = await storeCapture(store, caseId, url, capture);
        items.push(item);
        request.onStage?.(url, 'stored');
        request.onItem?.(item, entry.index);
      } catch (error) {
        if (isCancelled(error, signal)) {
          cancelled = true;
          break;
        }
        failures.push({
          subject: entry.subject,
          index: entry.index,
          error: asCustosError(error, `could not capture ${url.href}`),
        });
      } finally {
        await fs.rm(workDir, { recursive: true, force: true }).catch(() => undefined);
      }
    }
  } finally {
    await browser?.close();
  }
  return { items, failures, cancelled };
}

async function captureOne(
  browser: CaptureBrowser,
  url: URL,
  workDir: string,
  subject: CaptureSubject,
  setup: BrowserSetup,
  request: CaptureRequest,
  settings: CaptureSettings,
  onStage: (stage: CaptureStage) => void,
): Promise<PageCapture> {
  const { capturePage, DEFAULT_CAPTURE_OPTIONS } = await loadEngine();
  const tab = await browser.openTab();
  try {
    return await capturePage(
      tab,
      url,
      workDir,
      subject,
      setup,
      request.options ?? captureOptionsFrom(settings, DEFAULT_CAPTURE_OPTIONS),
      (stage) => {
        onStage(stage);
        request.onStage?.(url, stage);
      },
    );
  } finally {
    await tab.close();
  }
}

/** Who captures for which case, for the record; the case is checked here, before any work. */
function captureSubject(
  store: EvidenceStore,
  caseRef: string,
  persona: string | null,
): { caseId: string; subject: CaptureSubject } {
  const investigator = store.requireInvestigator();
  const caseRow = store.getCase(caseRef);
  return {
    caseId: caseRow.id,
    subject: {
      investigator: {
        name: investigator.name,
        agency: investigator.agency,
        badge: investigator.badge,
        keyFingerprint: investigator.keyFingerprint,
      },
      case: { id: caseRow.id, number: caseRow.number, title: caseRow.title },
      persona,
    },
  };
}

/** What to take from the app's live view. */
export type LiveCaptureRequest = {
  readonly caseRef: string;
  readonly onStage?: (stage: CaptureStage | 'stored') => void;
} & (
  | { readonly what: 'page' }
  | { readonly what: 'visible' }
  | { readonly what: 'region'; readonly rect: ViewRect }
);

/**
 * Captures what the app's live view shows into the store as one item: the whole page with every
 * artifact of the engine (`page`), or a PNG of the visible area or of a region, each with its
 * record. Files are hashed while they are stored; item, artifacts and custody entry are committed
 * in one transaction. A failure stores nothing.
 */
export async function captureLive(
  store: EvidenceStore,
  live: LiveCapture,
  request: LiveCaptureRequest,
): Promise<ItemSummary> {
  const { caseId, subject } = captureSubject(store, request.caseRef, live.setup.persona);
  const workDir = makeStoreTempDir(store.layout, 'capture');
  try {
    if (request.what === 'page') {
      const capture = await live.capturePage(workDir, subject, (stage) => request.onStage?.(stage));
      const item = await storeCapture(store, caseId, new URL(capture.record.requestedUrl), capture);
      request.onStage?.('stored');
      return item;
    }
    const { record, files } = await live.captureArea(
      request.what === 'region' ? { area: 'region', rect: request.rect } : { area: 'visible' },
      workDir,
      subject,
    );
    const item = await storeFiles(store, files, {
      caseId,
      kind: 'capture',
      source: record.pageUrl,
      url: record.pageUrl,
      title: record.title || null,
      capturedAt: new Date(record.capture.takenAt),
      metadata: {
        area: record.area,
        pageUrl: record.pageUrl,
        title: record.title,
        region: record.region.css,
        deviceRegion: record.region.device,
        scroll: record.scroll,
        persona: record.browser.persona,
      },
    });
    request.onStage?.('stored');
    return item;
  } finally {
    await fs.rm(workDir, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** What to record from the app's live view, and where to encode it. */
export interface LiveVideoRequest {
  readonly caseRef: string;
  /** A page that can run WebCodecs, never the captured page (see video-encoder.ts). */
  readonly encoder: VideoEncoderPage;
  /** Missing ones take DEFAULT_VIDEO_LIMITS. */
  readonly limits?: Partial<VideoLimits>;
  readonly onProgress?: (progress: VideoProgress) => void;
  /** Called once frames are being recorded. */
  readonly onStarted?: () => void;
  /** A cancel discards the recording: nothing is stored. */
  readonly signal?: AbortSignal;
}

/** Runs work with the store open for writing (the API's writer; a test's store). */
export type WithStore = <T>(work: (store: EvidenceStore) => Promise<T> | T) => Promise<T>;

/**
 * Records a video of the live view until it is stopped (`LiveCapture.stopVideo`, the
 * investigator) or reaches its size or duration limit, then stores it as one item: the WebM, the
 * first and last frame and the record, hashed while stored, with its custody entry, in one
 * transaction. The store is not held while recording. Case and limits are checked before
 * anything starts; a failure or a cancel stores nothing.
 */
export async function recordLiveVideo(
  withStore: WithStore,
  live: LiveCapture,
  request: LiveVideoRequest,
): Promise<ItemSummary> {
  const limits = checkVideoLimits(request.limits);
  const { caseId, subject, layout } = await withStore((store) => ({
    ...captureSubject(store, request.caseRef, live.setup.persona),
    layout: store.layout,
  }));
  if (request.signal?.aborted) throw new Cancelled();
  const workDir = makeStoreTempDir(layout, 'video');
  try {
    const video = await live.startVideo(request.encoder, workDir, limits, request.onProgress);
    try {
      request.onStarted?.();
      const cancelled = new Promise<'cancelled'>((resolve) => {
        if (request.signal?.aborted) resolve('cancelled');
        request.signal?.addEventListener('abort', () => resolve('cancelled'), { once: true });
      });
      if ((await Promise.race([video.stopped, cancelled])) === 'cancelled') {
        await video.discard();
        throw new Cancelled();
      }
      const { record, files } = await video.finish(subject, {
        ...live.setup.browser,
        product: live.product,
        userAgent: live.userAgent,
      });
      return await withStore((store) =>
        storeFiles(store, files, {
          caseId,
          kind: 'capture',
          source: record.pageUrl,
          url: record.pageUrl,
          title: record.title || null,
          capturedAt: new Date(record.recording.startedAt),
          metadata: {
            video: true,
            pageUrl: record.pageUrl,
            title: record.title,
            frames: record.video.frames,
            durationSeconds: record.video.durationSeconds,
            width: record.video.width,
            height: record.video.height,
            codec: record.video.codec,
            stoppedBy: record.stoppedBy,
            persona: record.browser.persona,
          },
        }),
      );
    } catch (error) {
      await video.discard().catch(() => undefined);
      throw error;
    } finally {
      live.releaseVideo(video);
    }
  } finally {
    await fs.rm(workDir, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** Stores the files (hashing while they are copied) and commits the item with its custody entry. */
async function storeCapture(
  store: EvidenceStore,
  caseId: string,
  url: URL,
  capture: PageCapture,
): Promise<ItemSummary> {
  const { record } = capture;
  return storeFiles(store, capture.files, {
    caseId,
    kind: 'capture',
    source: url.href,
    url: record.finalUrl,
    title: record.page.title || null,
    capturedAt: new Date(record.capture.startedAt),
    metadata: recordSummary(record),
  });
}

/** Stores each file as a blob (hashing while it is copied), then commits the item and its custody entry at once. */
async function storeFiles(
  store: EvidenceStore,
  files: readonly CapturedFile[],
  item: Omit<Parameters<EvidenceStore['addItem']>[0], 'artifacts'>,
): Promise<ItemSummary> {
  const artifacts: ArtifactRecord[] = await Promise.all(
    files.map(async (file) => {
      const blob = await store.blobs.putOwnFile(file.path);
      return {
        role: file.role,
        name: file.name,
        mediaType: file.mediaType,
        size: blob.size,
        sha256: blob.sha256,
      };
    }),
  );
  return store.addItem({ ...item, artifacts });
}
