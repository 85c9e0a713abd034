/**
 * The harness's replay origin: a second loopback port, so replays run on an origin apart from the
 * app's page, as the app's `custos-replay://` scheme does. Every request goes to the API service's
 * `serveReplay` (electron/core/replay), which Electron's protocol handler calls too; this file only
 * turns HTTP into web-standard Request/Response and back.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';

/** A listening replay origin, answering once it is given its service. */
export interface ReplayServer {
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  /** Starts answering with `serve` (the API service is made after the origins are known). */
  answerWith(serve: (request: Request) => Promise<Response>): void;
  close(): Promise<void>;
}

/** Opens the replay origin on a free port of 127.0.0.1. */
export async function startReplayServer(): Promise<ReplayServer> {
  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const host = new URL(origin).host;
  return {
    origin,
    answerWith(serve) {
      server.on('request', (req, res) => {
        answer(req, res, host, serve).catch((error: unknown) => {
          console.error(error);
          if (!res.headersSent) res.writeHead(500).end();
          else res.destroy();
        });
      });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function answer(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  host: string,
  serve: (request: Request) => Promise<Response>,
): Promise<void> {
  // Another host name is refused, as on the harness's own port (DNS rebinding).
  if (req.headers.host !== host) {
    res.writeHead(421).end();
    return;
  }
  const headers = new Headers();
  if (typeof req.headers.range === 'string') headers.set('range', req.headers.range);
  const response = await serve(
    new Request(`http://${host}${req.url ?? '/'}`, { method: req.method, headers }),
  );
  res.writeHead(response.status, Object.fromEntries(response.headers));
  if (!response.body) {
    res.end();
    return;
  }
  await pipeline(Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>), res);
}
