/**
 * ReplayWeb.page served from its npm package on 127.0.0.1, with WACZ files beside it, for tests
 * that check a WACZ replays in Webrecorder's own viewer. Files are served with Range support, as
 * the WACZ specification requires of a server (the viewer reads WARC records by their offsets).
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { REPO_ROOT } from './run-custos.js';

/** Where the viewer's files are: index.html, ui.js and its service worker sw.js. */
const REPLAYWEBPAGE_DIR = path.join(REPO_ROOT, 'node_modules', 'replaywebpage');

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.wacz': 'application/wacz',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
};

/** The viewer on loopback. */
export interface ReplayServer {
  readonly origin: string;
  /** The viewer's address that opens `waczName` (served by this server) at the page `url`. */
  viewerUrl(waczName: string, url: string): string;
  close(): Promise<void>;
}

/** Serves ReplayWeb.page and the WACZ files of `waczFiles` (name → path on disk). */
export async function startReplayServer(waczFiles: Readonly<Record<string, string>>): Promise<ReplayServer> {
  const server = http.createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    const name = pathname.slice(1);
    const file = waczFiles[name] ?? viewerFile(pathname === '/' ? '/index.html' : pathname);
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    sendFile(req, res, file);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    viewerUrl: (waczName, url) =>
      `${origin}/?source=${encodeURIComponent(`${origin}/${waczName}`)}#view=pages&url=${encodeURIComponent(url)}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A file of the viewer's package, never outside it. */
function viewerFile(pathname: string): string | null {
  const file = path.join(REPLAYWEBPAGE_DIR, path.normalize(pathname));
  if (!file.startsWith(`${REPLAYWEBPAGE_DIR}${path.sep}`)) return null;
  return fs.existsSync(file) && fs.statSync(file).isFile() ? file : null;
}

/** Sends a file whole, or the one byte range asked for (206). */
function sendFile(req: http.IncomingMessage, res: http.ServerResponse, file: string): void {
  const size = fs.statSync(file).size;
  const headers = {
    'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
    'Accept-Ranges': 'bytes',
    // The service worker's scope is the whole site, as ReplayWeb.page expects when served at the root.
    'Service-Worker-Allowed': '/',
  };
  const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
  if (!range) {
    res.writeHead(200, { ...headers, 'Content-Length': size });
    if (req.method === 'HEAD') res.end();
    else fs.createReadStream(file).pipe(res);
    return;
  }
  const start = range[1] ? Number(range[1]) : size - Number(range[2]);
  const end = range[1] && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
  res.writeHead(206, {
    ...headers,
    'Content-Length': end - start + 1,
    'Content-Range': `bytes ${start}-${end}/${size}`,
  });
  if (req.method === 'HEAD') res.end();
  else fs.createReadStream(file, { start, end }).pipe(res);
}
