/**
 * Where the app window's page comes from: a custom scheme served from the packaged renderer
 * folder, never `file:` (which would let the page read any local file) and never the network.
 * No Electron import, so the path checks run on plain Node in the tests.
 */
import path from 'node:path';
import { appFileMediaType } from './app-media-types.js';

/** The app's own scheme. */
export const APP_SCHEME = 'custos-app';

/** The address of the app's page; its scheme and host are what the IPC sender check trusts. */
export const APP_BASE = new URL(`${APP_SCHEME}://app/`);

/** The page the window opens. */
export const APP_ENTRY = new URL('index.html', APP_BASE);

/** The app page's origin, as CSP sources and `postMessage` name it (Node's URL.origin is "null" for custom schemes). */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_BASE.host}`;

/** The replay scheme: captured pages replayed from their WARCs (electron/core/replay), an origin apart from the app's. */
export const REPLAY_SCHEME = 'custos-replay';

/** The replay origin's base address. */
export const REPLAY_BASE = new URL(`${REPLAY_SCHEME}://replay/`);

/** The replay origin, as `session.clearStorageData` names it. */
export const REPLAY_ORIGIN = `${REPLAY_SCHEME}://${REPLAY_BASE.host}`;

/**
 * The strict policy sent with every file of the app (the page repeats it in a meta tag). Frames
 * come from the replay origin only (the item viewer's Replay tab).
 */
export const APP_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' blob:; font-src 'self'; connect-src 'self'; frame-src custos-replay://replay; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Schemes the app's own session may load: its page, its replays, and data the page made itself. */
const OWN_SCHEMES: ReadonlySet<string> = new Set([
  `${APP_SCHEME}:`,
  `${REPLAY_SCHEME}:`,
  'data:',
  'blob:',
  'devtools:',
]);

/**
 * Whether the app's own session (the window, its replays, the video encoder) may load an address:
 * none of them needs the network, so an http(s) or socket request there is a leak and is refused.
 * Capture views and the report printer have sessions of their own.
 */
export function isOwnAddress(address: string): boolean {
  return URL.canParse(address) && OWN_SCHEMES.has(new URL(address).protocol);
}

/** A file of the app to serve, or why the request was refused. */
export type AppFileLookup =
  | { readonly ok: true; readonly file: string; readonly mediaType: string }
  | { readonly ok: false; readonly status: 403 | 404; readonly reason: string };

/**
 * Maps a request on the app's scheme to a file inside `rendererDir`. Refuses another host,
 * encoded or plain `..` segments, backslashes, NUL bytes and absolute paths, so no request can
 * reach a file outside the renderer folder.
 */
export function resolveAppFile(requestUrl: string, rendererDir: string): AppFileLookup {
  if (!URL.canParse(requestUrl)) return { ok: false, status: 404, reason: 'not an address' };
  const url = new URL(requestUrl);
  if (url.protocol !== APP_BASE.protocol || url.host !== APP_BASE.host) {
    return { ok: false, status: 403, reason: `not the app's address: ${url.protocol}//${url.host}` };
  }
  let relative: string;
  try {
    relative = decodeURIComponent(url.pathname).replace(/^\/+/, '');
  } catch {
    return { ok: false, status: 404, reason: 'badly encoded path' };
  }
  if (relative === '') relative = 'index.html';
  if (/[\\\0]/.test(relative) || relative.split('/').some((part) => part === '..' || part === '.')) {
    return { ok: false, status: 403, reason: `path leaves the app folder: ${relative}` };
  }
  const root = path.resolve(rendererDir);
  const file = path.resolve(root, relative);
  if (!file.startsWith(`${root}${path.sep}`)) {
    return { ok: false, status: 403, reason: `path leaves the app folder: ${relative}` };
  }
  const mediaType = appFileMediaType(file);
  if (!mediaType) return { ok: false, status: 404, reason: `not a file the app serves: ${relative}` };
  return { ok: true, file, mediaType };
}
