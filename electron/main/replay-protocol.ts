import type { Session } from 'electron';
import type { ApiService } from '../core/api/api-service.js';
import { isOwnAddress, REPLAY_ORIGIN, REPLAY_SCHEME } from './app-address.js';
import type { BlockedLog } from './session-guards.js';

/**
 * Serves the replay origin in `session` (the app window's) from the API service: the replay
 * engine's files and the items' WARCs, read-only (electron/core/replay/replay-request.ts).
 */
export function serveReplays(session: Session, service: ApiService): void {
  session.protocol.handle(REPLAY_SCHEME, (request) => service.serveReplay(request));
}

/**
 * Forgets what earlier replays left in the session (the engine's index of each WARC in
 * IndexedDB, its worker and caches): copies of evidence are kept only in the store.
 */
export function forgetReplays(session: Session): Promise<void> {
  return session.clearStorageData({
    origin: REPLAY_ORIGIN,
    storages: ['indexdb', 'serviceworkers', 'cachestorage', 'localstorage'],
  });
}

/**
 * Refuses every request of the app's own session that leaves its schemes (app-address.ts,
 * `isOwnAddress`): the replayed pages' policy already forbids them; this holds even where a
 * replayed page or the engine slipped past it.
 */
export function keepSessionOffline(session: Session, log: BlockedLog): void {
  session.webRequest.onBeforeRequest((details, callback) => {
    const own = isOwnAddress(details.url);
    if (!own) log('request', `${details.url} (the app's own pages and replays never reach the network)`);
    callback({ cancel: !own });
  });
}
