/**
 * The browser harness (a development and test tool, never shipped): serves the built renderer on
 * 127.0.0.1 and carries `window.custos` calls over fetch to the real API service on a store of its
 * own. A random token guards every call; requests for any other host name are refused, so a web
 * page elsewhere cannot reach it through DNS rebinding.
 */
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type ApiService, createApiService } from '../../electron/core/api/api-service.js';
import { RunningCalls } from '../../electron/core/api/services/running-calls.js';
import type { StoreUpgradeProbe } from '../../electron/core/api/services/store-access.js';
import { REPLAY_BASE } from '../../electron/main/app-address.js';
import { appFileMediaType } from '../../electron/main/app-media-types.js';
import {
  API_PREFIX,
  BINDING_SCRIPT,
  CALL_HEADER,
  CANCEL_PATH,
  encodeEvent,
  TOKEN_HEADER,
  UPLOAD_PATH,
} from './protocol.js';
import { startReplayServer } from './replay-server.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const MAX_CALL_BYTES = 4 * 1024 * 1024;

/** Where the harness finds the built renderer and keeps its store. */
export interface HarnessOptions {
  /** The built renderer (`vite build` output). */
  readonly rendererDir: string;
  /** The store the API works on (a temporary one in tests). */
  readonly storeDir: string;
  /** Where export suggests saving bundles. */
  readonly exportDir: string;
  /** Where dropped files are saved to be imported (by path, as in the app). */
  readonly uploadDir: string;
  /**
   * The built replay engine (scripts/replay-engine.ts), served on a second loopback port as the
   * app serves it on its replay scheme; without it the Replay tab says replay is unavailable.
   */
  readonly replayEngineDir?: string;
  readonly port?: number;
  /** What a test follows of the upgrade of a store an older Custos wrote (`StoreUpgradeProbe`). */
  readonly storeUpgradeProbe?: StoreUpgradeProbe;
}

/** A running harness. */
export interface Harness {
  /** The address to open: it carries the token in its fragment. */
  readonly url: string;
  readonly origin: string;
  /** The replay origin (a second loopback port), when the harness serves replays. */
  readonly replayOrigin: string | null;
  readonly token: string;
  close(): Promise<void>;
}

/** Starts the harness on 127.0.0.1 (a free port unless one is given). */
export async function startHarness(options: HarnessOptions): Promise<Harness> {
  if (!fs.existsSync(path.join(options.rendererDir, 'index.html'))) {
    throw new Error(`${options.rendererDir} has no index.html; build the renderer first (npx vite build)`);
  }
  const token = randomBytes(32).toString('hex');
  const binding = await bundleBinding();
  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const replay = options.replayEngineDir ? await startReplayServer() : null;
  const service = createApiService({
    storeDir: options.storeDir,
    exportDir: options.exportDir,
    storeUpgradeProbe: options.storeUpgradeProbe,
    ...(replay && options.replayEngineDir
      ? { replay: { base: `${replay.origin}/`, engineDir: options.replayEngineDir, appOrigin: origin } }
      : {}),
  });
  replay?.answerWith((request) => service.serveReplay(request));
  const context: RequestContext = {
    replayOrigin: replay?.origin ?? null,
    options,
    token,
    binding,
    service,
    host: new URL(origin).host,
    running: new RunningCalls(),
  };
  server.on('request', (req, res) => {
    handle(context, req, res).catch((error: unknown) => {
      console.error(error);
      if (!res.headersSent) sendJson(res, 500, { error: 'the harness failed; see its console' });
      else res.destroy();
    });
  });
  return {
    url: `${origin}/#token=${token}`,
    origin,
    replayOrigin: replay?.origin ?? null,
    token,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await replay?.close();
      service.close();
    },
  };
}

interface RequestContext {
  readonly options: HarnessOptions;
  /** The replay origin the page may frame, or null (then it may frame nothing). */
  readonly replayOrigin: string | null;
  readonly token: string;
  readonly binding: string;
  readonly service: ApiService;
  readonly host: string;
  /** Calls still running, by the id the page gave them, for cancels. */
  readonly running: RunningCalls;
}

async function handle(
  context: RequestContext,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  if (req.headers.host !== context.host) return sendJson(res, 421, { error: 'wrong host' });
  const url = new URL(req.url ?? '/', `http://${context.host}`);
  if (url.pathname.startsWith(API_PREFIX) || url.pathname === UPLOAD_PATH || url.pathname === CANCEL_PATH) {
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'use POST' });
    if (!hasToken(req, context.token)) return sendJson(res, 403, { error: 'missing or wrong token' });
    if (url.pathname === UPLOAD_PATH) return upload(context, url, req, res);
    if (url.pathname === CANCEL_PATH) {
      const id = url.searchParams.get('call') ?? '';
      if (id !== '') context.running.cancel(id);
      return sendJson(res, 200, { cancelled: true });
    }
    return apiCall(context, url.pathname.slice(API_PREFIX.length), req, res);
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'use GET' });
  return serveStatic(context, url.pathname, res);
}

function hasToken(req: http.IncomingMessage, token: string): boolean {
  const given = Buffer.from(String(req.headers[TOKEN_HEADER] ?? ''));
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

async function apiCall(
  context: RequestContext,
  method: string,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  let input: unknown;
  try {
    input = JSON.parse((await readBody(req, MAX_CALL_BYTES)).toString('utf8') || '{}');
  } catch (error) {
    return sendJson(res, 400, { error: `the call's body is not JSON: ${(error as Error).message}` });
  }
  const callId = String(req.headers[CALL_HEADER] ?? '');
  // A call without an id cannot be cancelled by a message, only by the page going away.
  const call = context.running.start(callId === '' ? randomUUID() : callId);
  res.on('close', () => {
    if (!res.writableFinished) call.abort();
    call.end();
  });
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.flushHeaders();
  const result = await context.service.call(decodeURIComponent(method), input, {
    signal: call.signal,
    onProgress: (progress) => {
      if (!res.writableEnded) res.write(encodeEvent('progress', progress));
    },
  });
  if (!res.writableEnded) res.end(encodeEvent('result', result));
}

async function upload(
  context: RequestContext,
  url: URL,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  const name = path.basename(url.searchParams.get('name') ?? '');
  if (name === '' || name === '.' || name === '..')
    return sendJson(res, 400, { error: 'the file needs a name' });
  const folder = path.join(context.options.uploadDir, randomUUID());
  fs.mkdirSync(folder, { recursive: true });
  const file = path.join(folder, name);
  await pipeline(req, fs.createWriteStream(file, { flags: 'wx' }));
  const lastModified = Number(url.searchParams.get('lastModified'));
  if (Number.isFinite(lastModified) && lastModified > 0) {
    const when = new Date(lastModified);
    fs.utimesSync(file, when, when);
  }
  sendJson(res, 200, { path: file });
}

function serveStatic(context: RequestContext, pathname: string, res: http.ServerResponse): void {
  if (pathname === `/${BINDING_SCRIPT}`) {
    send(res, 200, appFileMediaType(BINDING_SCRIPT) ?? 'text/javascript', context.binding);
    return;
  }
  const root = path.resolve(context.options.rendererDir);
  const relative = pathname === '/' ? 'index.html' : decodeURIComponent(pathname.slice(1));
  const file = path.resolve(root, relative);
  if (!file.startsWith(`${root}${path.sep}`) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    sendJson(res, 404, { error: 'not found' });
    return;
  }
  const type = appFileMediaType(file) ?? 'application/octet-stream';
  send(
    res,
    200,
    type,
    relative === 'index.html'
      ? withReplayOrigin(withBinding(fs.readFileSync(file, 'utf8')), context.replayOrigin)
      : fs.readFileSync(file),
  );
}

/** The app's page with the binding script placed before the app's own (module scripts run in order). */
function withBinding(html: string): string {
  const tag = `<script type="module" src="./${BINDING_SCRIPT}"></script>\n    `;
  const at = html.indexOf('<script');
  return at === -1 ? html.replace('</head>', `${tag}</head>`) : `${html.slice(0, at)}${tag}${html.slice(at)}`;
}

/**
 * The page's policy with the harness's replay origin where the app names its replay scheme: the
 * only change the harness makes to it (plain Chromium has no custom schemes).
 */
function withReplayOrigin(html: string, replayOrigin: string | null): string {
  const appSource = `frame-src ${REPLAY_BASE.protocol}//${REPLAY_BASE.host}`;
  if (!html.includes(appSource)) throw new Error(`the app's page no longer names ${appSource} in its policy`);
  return html.replace(appSource, `frame-src ${replayOrigin ?? "'none'"}`);
}

async function bundleBinding(): Promise<string> {
  const result = await build({
    entryPoints: [path.join(here, 'page-binding.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error('esbuild produced no harness binding');
  return output.text;
}

function readBody(req: http.IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > max) {
        reject(new Error(`larger than ${max} bytes`));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: http.ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  send(res, status, 'application/json', JSON.stringify(body));
}
