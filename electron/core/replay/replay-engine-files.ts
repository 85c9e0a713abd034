/**
 * The files of the replay engine as the build lays them out (`scripts/build-replay.ts` writes
 * them into `out/replay/`, the request handler serves them): the frame page, its script, and
 * Webrecorder's wabac.js service worker. Declared once so that the build and the handler agree.
 */

/** A file of the replay engine: its path on the replay origin, its name on disk, how it is served. */
export interface ReplayEngineFile {
  readonly pathname: string;
  readonly file: string;
  readonly mediaType: string;
}

/** The frame page: it starts the engine and shows the archived page in a frame of its own. */
export const REPLAY_FRAME_PAGE: ReplayEngineFile = {
  pathname: '/',
  file: 'index.html',
  mediaType: 'text/html; charset=utf-8',
};

/** The frame page's script (bundled from renderer/replay-frame/replay-frame.ts). */
export const REPLAY_FRAME_SCRIPT: ReplayEngineFile = {
  pathname: '/replay-frame.js',
  file: 'replay-frame.js',
  mediaType: 'text/javascript; charset=utf-8',
};

/** wabac.js's service worker (its scope is the whole replay origin). */
export const REPLAY_SERVICE_WORKER: ReplayEngineFile = {
  pathname: '/sw.js',
  file: 'sw.js',
  mediaType: 'text/javascript; charset=utf-8',
};

/** Every file the replay origin serves besides WARCs. */
export const REPLAY_ENGINE_FILES: readonly ReplayEngineFile[] = [
  REPLAY_FRAME_PAGE,
  REPLAY_FRAME_SCRIPT,
  REPLAY_SERVICE_WORKER,
];

/** Where an item's WARC is served on the replay origin: `/warc/<item id>/<sha256>.warc.gz`. */
export function replayWarcPath(itemId: string, sha256: string): string {
  return `/warc/${encodeURIComponent(itemId)}/${sha256}.warc.gz`;
}

/** The item id and WARC hash a request path names, or null when it names no WARC. */
export function parseReplayWarcPath(pathname: string): { itemId: string; sha256: string } | null {
  const match = /^\/warc\/([A-Za-z0-9-]{1,64})\/([0-9a-f]{64})\.warc\.gz$/.exec(pathname);
  return match ? { itemId: match[1] as string, sha256: match[2] as string } : null;
}
