/**
 * Replay of a captured page inside the app: what the API answers for an item, and the names the
 * replay frame page (renderer/replay-frame), the request handler (electron/core/replay) and the
 * item viewer share. The replay runs Webrecorder's wabac.js service worker on an origin of its
 * own (the desktop app's `custos-replay://replay/`, the harness's second loopback port), so a
 * replayed page's scripts can never reach the app's window or its API.
 */

/** Whether an item can be replayed, and where its replay frame is. */
export type ReplayView =
  | {
      readonly available: true;
      /** The replay frame page, with the item, its WARC and the page to open in its query. */
      readonly frameUrl: string;
      /** The address the capture started from: the page the replay opens. */
      readonly url: string;
      /** When the page was captured (UTC, ISO 8601): the replay asks the archive for that time. */
      readonly capturedAt: string;
      /** The stored WARC the replay reads, as recorded in the item. */
      readonly warc: { readonly name: string; readonly sha256: string; readonly size: number };
    }
  | {
      readonly available: false;
      /**
       * `no-warc`: the item holds no web archive (an imported file, a screenshot of an area, a
       * video); `no-replay`: this program has no replay origin (a service without one).
       */
      readonly reason: 'no-warc' | 'no-replay';
    };

/** The query parameters of the replay frame page. */
export const REPLAY_FRAME_PARAMS = {
  /** The item's id: the replay's collection is named after it. */
  item: 'item',
  /** The path of the item's WARC on the replay origin. */
  warc: 'warc',
  /** The captured page's address. */
  url: 'url',
  /** The capture time as a 14-digit web archive timestamp (YYYYMMDDhhmmss, UTC). */
  ts: 'ts',
  /** The app's origin, the only window the frame page reports its state to. */
  parent: 'parent',
} as const;

/** What the replay frame page tells the item viewer (a `postMessage` to the app's window). */
export type ReplayFrameMessage =
  | { readonly type: 'custos-replay'; readonly state: 'loading' }
  | {
      readonly type: 'custos-replay';
      readonly state: 'page';
      /** The archived address now shown (the investigator may follow links inside the archive). */
      readonly url: string;
      /** Its archive timestamp (14 digits), as the engine found it in the WARC. */
      readonly ts: string;
      readonly title: string;
    }
  | { readonly type: 'custos-replay'; readonly state: 'error'; readonly message: string };

/**
 * The content security policy of every replayed page (wabac's collection `csp`): the page may
 * load only what the replay origin serves (the archive, through the service worker), run its own
 * inline scripts (rewritten by the engine), and nothing else. Unlike the engine's default it
 * allows no `ws:`/`wss:`, so a replayed page cannot open a socket to the live site.
 */
export const REPLAYED_PAGE_CSP =
  "default-src 'self' 'unsafe-eval' 'unsafe-inline' data: blob:; connect-src 'self' data: blob:; frame-src 'self' data: blob: about:; form-action 'self'; object-src 'none'; base-uri 'self'";

/** The archive timestamp of an ISO 8601 time: its UTC digits, YYYYMMDDhhmmss. */
export function archiveTimestamp(iso: string): string {
  return new Date(iso).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** The UTC time of a 14-digit archive timestamp (ISO 8601), or null when it is not one. */
export function timeOfArchiveTimestamp(ts: string): string | null {
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(ts);
  if (!match) return null;
  const [, year, month, day, hour, minute, second] = match;
  const time = new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}Z`);
  return Number.isNaN(time.getTime()) ? null : time.toISOString();
}
