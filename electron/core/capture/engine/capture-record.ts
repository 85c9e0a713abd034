import os from 'node:os';
import { TOOL_NAME, TOOL_VERSION } from '../../../../shared/version.js';
import { localTimeZone } from '../../store/ledger.js';
import type { HeaderList } from './http-headers.js';
import type { RedirectHop, TlsInfo } from './main-document.js';
import type { PageFacts } from './page-content.js';
import type { BlockedAttempt } from './page-guard.js';
import type { ScrollResult } from './page-settle.js';
import type { FullPageShot } from './screenshot.js';
import type { WarcSummary } from './warc-writer.js';

/** Who captures, for which case, under which persona: written into every record. */
export interface CaptureSubject {
  readonly investigator: {
    readonly name: string;
    readonly agency: string | null;
    readonly badge: string | null;
    readonly keyFingerprint: string;
  };
  readonly case: { readonly id: string; readonly number: string; readonly title: string };
  /** The undercover profile the page was seen through, or null for a fresh, anonymous one. */
  readonly persona: string | null;
}

/** The browser as it was set up for the capture. */
export interface BrowserDescription {
  readonly product: string;
  readonly version: string;
  readonly userAgent: string;
  readonly viewport: { readonly width: number; readonly height: number };
  readonly deviceScaleFactor: number;
  /** A phone was emulated (touch, mobile layout, a phone browser's user agent). */
  readonly mobile?: boolean;
  readonly headless: boolean;
  readonly executable: string;
  readonly extraArgs: readonly string[];
}

/**
 * The capture record (the `metadata` artifact): everything a court may ask about how, when, from
 * where and by whom the page was preserved.
 */
export interface WebCaptureRecord {
  readonly recordType: 'custos.web-capture';
  readonly recordVersion: 1;
  readonly requestedUrl: string;
  readonly finalUrl: string;
  /** The top frame's address when captured; differs from finalUrl when a script rewrote it. */
  readonly documentUrl: string;
  readonly redirectChain: readonly RedirectHop[];
  readonly httpStatus: number;
  readonly statusLine: string;
  /** The document's response headers in order, repeated headers as separate entries. */
  readonly responseHeaders: HeaderList;
  /** Where the headers come from: `wire` (raw HTTP/1.x head), `extra-info` (network stack), `renderer`. */
  readonly responseHeadersFrom: string;
  readonly server: {
    readonly ip: string | null;
    readonly port: number | null;
    readonly protocol: string | null;
  };
  readonly tls: TlsInfo | null;
  readonly page: Omit<PageFacts, 'documentUrl'>;
  readonly capture: {
    /** UTC, ISO 8601 with milliseconds: when the engine started loading the page. */
    readonly startedAt: string;
    /** When the last artifact was taken from the page. */
    readonly endedAt: string;
    readonly timeZone: string;
    /** The workstation's offset from UTC at the start, e.g. "+02:00". */
    readonly utcOffset: string;
    /** How long the engine waited for the server and for the page to load (the store's settings). */
    readonly timeouts?: { readonly navigationMs: number; readonly loadMs: number };
  };
  readonly browser: BrowserDescription & { readonly persona: string | null };
  readonly tool: { readonly name: string; readonly version: string };
  readonly os: {
    readonly platform: string;
    readonly release: string;
    readonly arch: string;
    readonly hostname: string;
  };
  readonly investigator: CaptureSubject['investigator'];
  readonly case: CaptureSubject['case'];
  readonly screenshot: FullPageShot & { readonly viewportWidth: number; readonly viewportHeight: number };
  readonly scroll: ScrollResult;
  readonly network: {
    readonly requests: number;
    readonly failed: number;
    readonly unfinished: number;
    readonly warc: WarcSummary;
  };
  /** What the page tried and was stopped from doing. */
  readonly blocked: readonly BlockedAttempt[];
  /** Attempts beyond the listing limit, counted only. */
  readonly blockedNotListed: number;
  /** Anything abnormal: a wait that ran out, a truncation, a body that could not be stored. */
  readonly notes: readonly string[];
  /**
   * Set when the page was captured in the app's live view, as the investigator had it: recorded
   * from the first request of its load, not loaded again; where they had scrolled to (CSS px).
   */
  readonly live?: {
    readonly view: 'live';
    readonly pageLoadStartedAt: string;
    readonly scrollX: number;
    readonly scrollY: number;
  };
}

/** The workstation's UTC offset at `date`, e.g. "+02:00". */
export function utcOffset(date: Date): string {
  const minutes = -date.getTimezoneOffset();
  const sign = minutes >= 0 ? '+' : '-';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** The tool, OS and time-zone part of a record. */
export function workstationFacts(startedAt: Date) {
  return {
    timeZone: localTimeZone(),
    utcOffset: utcOffset(startedAt),
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    os: { platform: os.platform(), release: os.release(), arch: os.arch(), hostname: os.hostname() },
  };
}

/** Who and what took a capture of the live view (the area and video records end with these). */
export interface LiveRecordParties {
  readonly browser: {
    readonly product: string;
    readonly userAgent: string;
    readonly executable: string;
    readonly headless: boolean;
    readonly persona: string | null;
  };
  readonly tool: WebCaptureRecord['tool'];
  readonly os: WebCaptureRecord['os'];
  readonly investigator: CaptureSubject['investigator'];
  readonly case: CaptureSubject['case'];
}

/** The browser (as the live view describes it), tool, workstation, investigator and case of a live record. */
export function liveRecordParties(
  subject: CaptureSubject,
  browser: { readonly executable: string; readonly headless: boolean } & Pick<
    LiveRecordParties['browser'],
    'product' | 'userAgent'
  >,
  workstation: ReturnType<typeof workstationFacts>,
): LiveRecordParties {
  return {
    browser: {
      product: browser.product,
      userAgent: browser.userAgent,
      executable: browser.executable,
      headless: browser.headless,
      persona: subject.persona,
    },
    tool: workstation.tool,
    os: workstation.os,
    investigator: subject.investigator,
    case: subject.case,
  };
}

/** The short summary the store keeps beside the item (the full record is the `metadata` artifact). */
export function recordSummary(record: WebCaptureRecord): Record<string, unknown> {
  return {
    requestedUrl: record.requestedUrl,
    finalUrl: record.finalUrl,
    httpStatus: record.httpStatus,
    title: record.page.title,
    captureStartedAt: record.capture.startedAt,
    captureEndedAt: record.capture.endedAt,
    persona: record.browser.persona,
    notes: record.notes.length,
    blockedAttempts: record.blocked.length + record.blockedNotListed,
  };
}
