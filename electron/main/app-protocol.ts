import fs from 'node:fs/promises';
import { protocol, type Session } from 'electron';
import { APP_CSP, APP_SCHEME, REPLAY_SCHEME, resolveAppFile } from './app-address.js';

/**
 * Declares the app's schemes as secure standard ones; must run before the app is ready. The
 * replay scheme also runs service workers (wabac.js replays from one) and streams WARC ranges.
 */
export function registerAppSchemes(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
    {
      scheme: REPLAY_SCHEME,
      privileges: {
        standard: true,
        secure: true,
        supportFetchAPI: true,
        allowServiceWorkers: true,
        stream: true,
      },
    },
  ]);
}

/**
 * Serves the renderer folder on the app's scheme in `session` only (capture views use other
 * sessions, so a captured page cannot load the app's files). Every answer carries the CSP.
 */
export function serveAppFiles(session: Session, rendererDir: string, log: (line: string) => void): void {
  session.protocol.handle(APP_SCHEME, async (request) => {
    const found = resolveAppFile(request.url, rendererDir);
    if (!found.ok) {
      log(`app file refused (${found.status}): ${found.reason}`);
      return new Response(null, { status: found.status });
    }
    try {
      const body = await fs.readFile(found.file);
      return new Response(body, {
        status: 200,
        headers: {
          'content-type': found.mediaType,
          'content-security-policy': APP_CSP,
          'x-content-type-options': 'nosniff',
          'cache-control': 'no-store',
        },
      });
    } catch {
      return new Response(null, { status: 404 });
    }
  });
}
