import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ArtifactRecord, ItemSummary } from '../../../shared/domain.js';
import { CustosError, operationFailure } from '../errors.js';
import type { EvidenceStore } from '../store/evidence-store.js';
import { extraChromiumArgs, findChromium } from './browser-discovery.js';
import type { CaptureBrowser } from './capture-browser.js';
import type { BrowserSetup, CaptureOptions, CaptureStage, PageCapture } from './capture-page.js';
import { type CaptureSubject, recordSummary } from './capture-record.js';
import { existingPersona, type Persona } from './personas.js';
import { launchChromium } from './playwright-browser.js';

/** What to capture and how. */
export interface CaptureRequest {
  /** Already checked with `parseCaptureUrl`. */
  readonly urls: readonly URL[];
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

/** One URL that could not be captured, and why (nothing was stored for it). */
export interface CaptureFailure {
  readonly url: string;
  readonly error: CustosError;
}

/** The items made, in the order of the URLs, and the URLs that failed. */
export interface CaptureOutcome {
  readonly items: readonly ItemSummary[];
  readonly failures: readonly CaptureFailure[];
}

/** The engine proper, loaded while the first browser starts: it pulls in the WARC library. */
let engine: Promise<typeof import('./capture-page.js')> | undefined;
function loadEngine(): Promise<typeof import('./capture-page.js')> {
  engine ??= import('./capture-page.js');
  return engine;
}

/**
 * Captures each URL into the store as one item (DESIGN.md "Capture"): one browser for the run,
 * a fresh profile per page (or the persona's), every artifact hashed while it is stored, and item,
 * artifacts and custody entry committed in one transaction. A page that fails leaves nothing in
 * the store and does not stop the others; a crashed browser is replaced for the next page.
 */
export async function captureUrls(store: EvidenceStore, request: CaptureRequest): Promise<CaptureOutcome> {
  const investigator = store.requireInvestigator();
  const caseRow = store.getCase(request.caseRef);
  const persona: Persona | null = request.persona
    ? existingPersona(store.layout.root, request.persona)
    : null;
  const subject: CaptureSubject = {
    investigator: {
      name: investigator.name,
      agency: investigator.agency,
      badge: investigator.badge,
      keyFingerprint: investigator.keyFingerprint,
    },
    case: { id: caseRow.id, number: caseRow.number, title: caseRow.title },
    persona: persona?.name ?? null,
  };
  const setup: BrowserSetup = request.browser?.setup ?? {
    executable: findChromium(),
    headless: true,
    extraArgs: extraChromiumArgs(),
  };
  const items: ItemSummary[] = [];
  const failures: CaptureFailure[] = [];
  let browser: CaptureBrowser | null = null;
  try {
    for (const url of request.urls) {
      const workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'custos-capture-'));
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
        const capture = await captureOne(browser, url, workDir, subject, setup, request);
        items.push(await storeCapture(store, caseRow.id, url, capture));
        request.onStage?.(url, 'stored');
      } catch (error) {
        failures.push({ url: url.href, error: asCustosError(error, url) });
      } finally {
        await fs.rm(workDir, { recursive: true, force: true }).catch(() => undefined);
      }
    }
  } finally {
    await browser?.close();
  }
  return { items, failures };
}

async function captureOne(
  browser: CaptureBrowser,
  url: URL,
  workDir: string,
  subject: CaptureSubject,
  setup: BrowserSetup,
  request: CaptureRequest,
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
      request.options ?? DEFAULT_CAPTURE_OPTIONS,
      (stage) => request.onStage?.(url, stage),
    );
  } finally {
    await tab.close();
  }
}

/** Stores the files (hashing while they are copied) and commits the item with its custody entry. */
async function storeCapture(
  store: EvidenceStore,
  caseId: string,
  url: URL,
  capture: PageCapture,
): Promise<ItemSummary> {
  const artifacts: ArtifactRecord[] = await Promise.all(
    capture.files.map(async (file) => {
      const blob = await store.blobs.putFile(file.path);
      return {
        role: file.role,
        name: file.name,
        mediaType: file.mediaType,
        size: blob.size,
        sha256: blob.sha256,
      };
    }),
  );
  const { record } = capture;
  return store.addItem({
    caseId,
    kind: 'capture',
    source: url.href,
    url: record.finalUrl,
    title: record.page.title || null,
    capturedAt: new Date(record.capture.startedAt),
    metadata: recordSummary(record),
    artifacts,
  });
}

function asCustosError(error: unknown, url: URL): CustosError {
  if (error instanceof CustosError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return operationFailure(`could not capture ${url.href}: ${message}`, { cause: error });
}
