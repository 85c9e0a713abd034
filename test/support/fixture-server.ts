import { execFileSync } from 'node:child_process';
import { createHash, createPublicKey, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';
import { REPO_ROOT } from './run-custos.js';
import { suiteResource } from './suite-resource.js';

/** The fixture site's files. */
export const FIXTURE_SITE = path.join(REPO_ROOT, 'test', 'fixtures', 'site');

/** A request the fixture server received. */
export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
}

/** The fixture site served on 127.0.0.1 for one test file. */
export interface FixtureServer {
  /** `http(s)://127.0.0.1:PORT` */
  readonly origin: string;
  /** The same server as `http(s)://localhost:PORT`: another site, so its iframes run in their own process. */
  readonly altOrigin: string;
  url(pathname: string): string;
  /** Every request, in order. */
  readonly requests: readonly ReceivedRequest[];
  /** What a hostile page managed to send to `/leak` (what it read, what it opened). */
  readonly leaks: readonly { readonly what: string; readonly value: string }[];
  close(): Promise<void>;
}

/** A self-signed certificate for 127.0.0.1, made with OpenSSL. */
export interface TestCertificate {
  readonly key: string;
  readonly cert: string;
  /** base64 SHA-256 of the public key, for Chromium's --ignore-certificate-errors-spki-list. */
  readonly spkiSha256Base64: string;
  /** Colon-separated SHA-256 of the certificate, as the capture record gives it. */
  readonly fingerprint256: string;
}

/** Makes a certificate for 127.0.0.1 and localhost in `dir` with the openssl command. */
export function makeTestCertificate(dir: string): TestCertificate {
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '2',
      '-subj',
      '/CN=custos-fixture.test/O=Custos Test Fixtures',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { stdio: 'ignore' },
  );
  const cert = fs.readFileSync(certFile, 'utf8');
  const spki = createPublicKey(cert).export({ type: 'spki', format: 'der' });
  return {
    key: fs.readFileSync(keyFile, 'utf8'),
    cert,
    spkiSha256Base64: createHash('sha256').update(spki).digest('base64'),
    fingerprint256: new X509Certificate(cert).fingerprint256,
  };
}

const MEDIA_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.jpg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
};

/**
 * Starts the fixture site on 127.0.0.1 on a free port: the static pages of test/fixtures/site plus
 * the routes real sites have (redirects, a JSON feed, a login cookie, a 404 "removed" page, a
 * resource that never finishes). Text is gzip-compressed when the browser accepts it, as servers do.
 */
export async function startFixtureServer(
  options: { readonly tls?: TestCertificate } = {},
): Promise<FixtureServer> {
  const requests: ReceivedRequest[] = [];
  const leaks: { what: string; value: string }[] = [];
  const hanging = new Set<http.ServerResponse>();
  let port = 0;
  const scheme = options.tls ? 'https' : 'http';
  const altOrigin = () => `${scheme}://localhost:${port}`;

  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers });
    const url = new URL(req.url ?? '/', `${scheme}://127.0.0.1:${port}`);
    const send = (
      status: number,
      type: string,
      body: string | Buffer,
      headers: http.OutgoingHttpHeaders = {},
    ) => {
      let payload = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
      const compress =
        /^text\/(css|javascript)|json/.test(type) && /gzip/.test(String(req.headers['accept-encoding']));
      if (compress) payload = zlib.gzipSync(payload);
      res.writeHead(status, {
        'Content-Type': type,
        'Content-Length': payload.byteLength,
        ...(compress ? { 'Content-Encoding': 'gzip' } : {}),
        ...headers,
      });
      res.end(req.method === 'HEAD' ? undefined : payload);
    };
    const page = (name: string) =>
      fs.readFileSync(path.join(FIXTURE_SITE, name), 'utf8').replaceAll('{{ALT_ORIGIN}}', altOrigin());

    switch (url.pathname) {
      case '/':
        return send(200, 'text/html; charset=utf-8', '<!DOCTYPE html><title>Home</title><h1>Home</h1>');
      case '/r/start':
        return send(301, 'text/html; charset=utf-8', 'Moved', { Location: '/r/middle' });
      case '/r/middle':
        return send(302, 'text/html; charset=utf-8', 'Found', { Location: '/post.html' });
      // A link shortener that forwards in the page: a meta refresh, then a script.
      case '/s/boat':
        return send(
          200,
          'text/html; charset=utf-8',
          '<!DOCTYPE html><title>Redirecting</title><meta http-equiv="refresh" content="0;url=/s/hop">Redirecting…',
        );
      case '/s/hop':
        return send(
          200,
          'text/html; charset=utf-8',
          '<!DOCTYPE html><title>One moment</title><script>location.replace("/post.html")</script>',
        );
      case '/removed':
        return send(404, 'text/html; charset=utf-8', page('removed.html'));
      case '/latin1.html':
        return send(
          200,
          'text/html; charset=iso-8859-1',
          fs.readFileSync(path.join(FIXTURE_SITE, 'latin1.html')),
        );
      case '/api/feed': {
        const n = Number(url.searchParams.get('page') ?? 0);
        const last = n >= 4;
        const items = Array.from(
          { length: 3 },
          (_, i) =>
            `منشور ${n * 3 + i + 1}: رحلة جديدة، اتصل على +218 91 000 ${String(n * 3 + i).padStart(4, '0')}`,
        );
        if (last) items.push('END-OF-FEED-MARKER: آخر رحلة هذا الشهر');
        return send(200, 'application/json; charset=utf-8', JSON.stringify({ items, last }));
      }
      case '/api/view':
        return send(200, 'application/json; charset=utf-8', '{"ok":true}');
      case '/api/presence':
        return send(200, 'application/json; charset=utf-8', '{"online":3}');
      case '/leak':
        leaks.push({ what: url.searchParams.get('what') ?? '', value: url.searchParams.get('value') ?? '' });
        return send(200, 'text/plain; charset=utf-8', 'ok');
      case '/login':
        res.setHeader('Set-Cookie', [
          'session=undercover-42; Max-Age=86400; Path=/; HttpOnly; SameSite=Lax',
          'lang=ar; Max-Age=86400; Path=/',
        ]);
        return send(
          200,
          'text/html; charset=utf-8',
          '<!DOCTYPE html><title>Logged in</title><h1>Logged in as undercover-42</h1>',
        );
      case '/account': {
        const loggedIn = /(?:^|;\s*)session=undercover-42(?:;|$)/.test(req.headers.cookie ?? '');
        return send(
          200,
          'text/html; charset=utf-8',
          loggedIn
            ? '<!DOCTYPE html><title>Private group</title><h1>Welcome back, undercover-42</h1><p>PRIVATE-GROUP-CONTENT: رحلات خاصة للأعضاء</p>'
            : '<!DOCTYPE html><title>Log in</title><h1>Please log in to see this group</h1>',
        );
      }
      case '/slow.css': {
        // A stylesheet that takes `ms` to arrive: the page's load event waits for it.
        const ms = Math.min(Number(url.searchParams.get('ms') ?? 500), 5_000);
        setTimeout(() => send(200, 'text/css; charset=utf-8', '/* arrived late */'), ms);
        return;
      }
      case '/download/ledger.xlsx':
        return send(200, 'application/vnd.ms-excel', Buffer.from('not really a spreadsheet'), {
          'Content-Disposition': 'attachment; filename="ledger.xlsx"',
        });
      default:
        break;
    }
    if (url.pathname.startsWith('/hang/')) {
      // Headers and a few bytes, then nothing, until the server closes.
      res.writeHead(200, { 'Content-Type': 'image/jpeg', 'Content-Length': '100000' });
      res.write(Buffer.alloc(64));
      hanging.add(res);
      return;
    }
    const file = path.join(FIXTURE_SITE, path.normalize(url.pathname));
    if (!file.startsWith(FIXTURE_SITE + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      return send(404, 'text/plain; charset=utf-8', 'not found');
    }
    const type = MEDIA_TYPES[path.extname(file)] ?? 'application/octet-stream';
    return send(
      200,
      type,
      type.startsWith('text/html') ? page(path.relative(FIXTURE_SITE, file)) : fs.readFileSync(file),
    );
  };

  const server = options.tls
    ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, handler)
    : http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  const origin = `${scheme}://127.0.0.1:${port}`;
  return {
    origin,
    get altOrigin() {
      return altOrigin();
    },
    url: (pathname) => `${origin}${pathname}`,
    requests,
    leaks,
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Starts the fixture site for a test file or `describe` (before its tests) and stops it after them. */
export function fixtureServerForTests(): () => FixtureServer {
  return suiteResource(
    'the fixture site',
    () => startFixtureServer(),
    (server) => server.close(),
  );
}
