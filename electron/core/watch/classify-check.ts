/**
 * The watch classifier: a pure function from what a check saw (and what the last capture with the
 * content saw) to a state and the reasons for it. No I/O, so every rule is tested on its own
 * (test/core/watch/classify-check.test.ts). docs/WATCH.md explains the rules to users.
 */
import type { WatchState } from '../../../shared/watch.js';
import { hammingDistance } from '../media/perceptual-hash.js';
import { normalizeText, textSimilarity } from './page-text.js';
import {
  hostOfUrl,
  LOGIN_PATHS,
  PLATFORM_NOTICES,
  type PlatformNotice,
  platformOfUrl,
} from './removal-notices.js';

/**
 * Visible texts at least this alike (Dice over words) are the same content. A post page carries a
 * few hundred words; a relative time, a like count or a "seen by" line changing costs one to three
 * of them (similarity ≥ 0.98), an edited sentence or a new comment ten or more (≤ 0.95).
 */
export const UNCHANGED_TEXT_SIMILARITY = 0.95;

/**
 * Screenshots whose perceptual hashes differ in at most this many of 64 bits look the same: the
 * near-duplicate bound of media/perceptual-hash.ts (a re-encoded or slightly shifted picture). A
 * replaced photo or a page laid out anew moves the hash by 20 bits or more.
 */
export const UNCHANGED_SCREENSHOT_DISTANCE = 10;

/** HTTP statuses that say the content is gone: Not Found, Gone, Unavailable For Legal Reasons. */
export const REMOVED_STATUSES: ReadonlySet<number> = new Set([404, 410, 451]);

/** What one capture of a watched URL showed, read from its item. */
export interface PageObservation {
  readonly httpStatus: number;
  readonly requestedUrl: string;
  readonly finalUrl: string;
  readonly title: string;
  /** The visible text (the `text` artifact). */
  readonly text: string;
  /** The screenshot's perceptual hash (16 hex digits), or null without a screenshot. */
  readonly screenshotHash: string | null;
}

/** What a check found, for the classifier. */
export type CheckInput =
  | {
      readonly kind: 'captured';
      readonly current: PageObservation;
      /** The last capture where the content was there (live, unchanged or changed), if any. */
      readonly baseline: PageObservation | null;
      /** The state of the last check that stored an item, if any. */
      readonly lastCapturedState: WatchState | null;
    }
  | { readonly kind: 'unreachable'; readonly error: string }
  | { readonly kind: 'failed'; readonly error: string };

/** The classifier's answer. */
export interface Classification {
  readonly state: WatchState;
  /** Plain-language reasons, e.g. "HTTP status 404". */
  readonly reasons: readonly string[];
  /** The measurements, kept in the history and the bundle. */
  readonly signals: {
    readonly httpStatus?: number;
    readonly finalUrl?: string;
    readonly textSimilarity?: number;
    readonly screenshotHash?: string | null;
    readonly screenshotDistance?: number;
    readonly notice?: Omit<FoundNotice, 'kind'> & { readonly kind: string };
    readonly loginWall?: boolean;
  };
}

/** Classifies one check (see docs/WATCH.md, "How a state is decided"). */
export function classifyCheck(input: CheckInput): Classification {
  if (input.kind === 'unreachable') {
    return { state: 'unreachable', reasons: [`network error: ${input.error}`], signals: {} };
  }
  if (input.kind === 'failed') {
    return { state: 'failed', reasons: [`capture failed: ${input.error}`], signals: {} };
  }
  const { current, baseline } = input;
  const base = {
    httpStatus: current.httpStatus,
    finalUrl: current.finalUrl,
    screenshotHash: current.screenshotHash,
  };

  const removal = removalReasons(current, baseline);
  if (removal.reasons.length > 0) {
    return { state: 'removed', reasons: removal.reasons, signals: { ...base, ...removal.signals } };
  }
  if (!baseline) return { state: 'live', reasons: ['first capture: the content is there'], signals: base };

  const similarity = round(textSimilarity(baseline.text, current.text));
  const distance =
    baseline.screenshotHash &&
    current.screenshotHash &&
    baseline.screenshotHash.length === current.screenshotHash.length
      ? hammingDistance(baseline.screenshotHash, current.screenshotHash)
      : undefined;
  const signals = {
    ...base,
    textSimilarity: similarity,
    ...(distance === undefined ? {} : { screenshotDistance: distance }),
  };
  if (input.lastCapturedState === 'removed') {
    return { state: 'live', reasons: ['the content is back after a removal'], signals };
  }
  const changes: string[] = [];
  if (current.httpStatus !== baseline.httpStatus)
    changes.push(`HTTP status ${baseline.httpStatus} → ${current.httpStatus}`);
  if (withoutFragment(current.finalUrl) !== withoutFragment(baseline.finalUrl))
    changes.push(`final URL ${baseline.finalUrl} → ${current.finalUrl}`);
  if (similarity < UNCHANGED_TEXT_SIMILARITY)
    changes.push(`visible text ${percent(similarity)} alike (below ${percent(UNCHANGED_TEXT_SIMILARITY)})`);
  if (distance !== undefined && distance > UNCHANGED_SCREENSHOT_DISTANCE)
    changes.push(
      `screenshot differs in ${distance} of 64 hash bits (more than ${UNCHANGED_SCREENSHOT_DISTANCE})`,
    );
  if (changes.length > 0) return { state: 'changed', reasons: changes, signals };
  return {
    state: 'unchanged',
    reasons: [
      `same status and final URL, visible text ${percent(similarity)} alike${distance === undefined ? '' : `, screenshot within ${distance} hash bits`}`,
    ],
    signals,
  };
}

/**
 * An address without its `#fragment`, which never reaches the server: what the server answered is
 * the same with or without it (and older captures kept no fragment in their final URL).
 */
function withoutFragment(url: string): string {
  const hash = url.indexOf('#');
  return hash < 0 ? url : url.slice(0, hash);
}

function removalReasons(
  current: PageObservation,
  baseline: PageObservation | null,
): { reasons: string[]; signals: Classification['signals'] } {
  const reasons: string[] = [];
  const signals: { notice?: FoundNotice; loginWall?: boolean } = {};
  if (REMOVED_STATUSES.has(current.httpStatus)) reasons.push(`HTTP status ${current.httpStatus}`);
  if (isLoginRedirect(current)) {
    reasons.push(`redirected to a login page (${current.finalUrl})`);
    signals.loginWall = true;
  }
  const notice = findNewNotice(
    `${current.title}\n${current.text}`,
    baseline ? `${baseline.title}\n${baseline.text}` : '',
    current.finalUrl || current.requestedUrl,
  );
  if (notice) {
    const wording = notice.wordingOf ? `; ${notice.wordingOf}'s wording` : '';
    reasons.push(
      `${notice.kind === 'login-wall' ? 'login wall' : 'removal notice'}: "${notice.text}" (${notice.platform}, ${notice.language}${wording})`,
    );
    signals.notice = notice;
    if (notice.kind === 'login-wall') signals.loginWall = true;
  }
  return { reasons, signals };
}

/** The final URL is a login page and the watched URL was not one. */
function isLoginRedirect(page: PageObservation): boolean {
  const finalPath = pathOf(page.finalUrl);
  const requestedPath = pathOf(page.requestedUrl);
  const isLogin = (p: string | null) => p !== null && LOGIN_PATHS.some((re) => re.test(p));
  return isLogin(finalPath) && !isLogin(requestedPath);
}

/**
 * A notice found on a page, attributed to the site that showed it: `platform` is the platform the
 * page belongs to, or the page's host for any other site (a page on 127.0.0.1 showing Facebook's
 * wording is not Facebook's notice), with `wordingOf` then naming the platform whose wording it is.
 */
export interface FoundNotice extends PlatformNotice {
  readonly wordingOf?: string;
}

/**
 * The notice in `text` that the baseline's text did not already show. The page's own platform's
 * wordings come first; then the longest, as the most specific (Instagram's "Sorry, this page
 * isn't available" contains Facebook's "This page isn't available").
 */
export function findNewNotice(text: string, baselineText: string, pageUrl?: string): FoundNotice | undefined {
  const page = ` ${normalizeText(text)} `;
  const before = ` ${normalizeText(baselineText)} `;
  const own = platformOfUrl(pageUrl);
  const rank = (notice: PlatformNotice, length: number) => (notice.platform === own ? 1_000_000 : 0) + length;
  let found: { notice: PlatformNotice; rank: number } | undefined;
  for (const notice of PLATFORM_NOTICES) {
    const phrase = ` ${normalizedNotice(notice)} `;
    if (
      page.includes(phrase) &&
      !before.includes(phrase) &&
      rank(notice, phrase.length) > (found?.rank ?? 0)
    ) {
      found = { notice, rank: rank(notice, phrase.length) };
    }
  }
  if (!found) return undefined;
  const host = pageUrl === undefined ? undefined : hostOfUrl(pageUrl);
  if (own === undefined && host !== undefined) {
    return { ...found.notice, platform: host, wordingOf: found.notice.platform };
  }
  return found.notice;
}

const normalizedNotices = new Map<PlatformNotice, string>();
function normalizedNotice(notice: PlatformNotice): string {
  let text = normalizedNotices.get(notice);
  if (text === undefined) {
    text = normalizeText(notice.text);
    normalizedNotices.set(notice, text);
  }
  return text;
}

function pathOf(url: string): string | null {
  try {
    return new URL(url).pathname;
  } catch {
    return null;
  }
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function percent(value: number): string {
  return `${Math.round(value * 100)}%`;
}
