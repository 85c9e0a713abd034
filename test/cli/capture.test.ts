import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebCaptureRecord } from '../../electron/core/capture/engine/capture-record.js';
import { cdxjIndex } from '../../electron/core/wacz/cdxj-index.js';
import { readWarc } from '../core/capture/artifact-readers.js';
import {
  type FixtureServer,
  fixtureServerForTests,
  makeTestCertificate,
  startFixtureServer,
  type TestCertificate,
} from '../support/fixture-server.js';
import { runCustos, runCustosJson, spawnCustos, waitForCustos } from '../support/run-custos.js';
import { tempStoreForTests } from '../support/temp-store.js';
import { blobFile, type ItemsJson, sha256sum } from './cli-fixtures.js';
import { storeState } from './store-state.js';

/** One `custos` run may take long on a busy machine (Chromium starts, loads, captures). */
const CLI_TIMEOUT_MS = 150_000;
const CASE = 'BE-2026-0142';

const server = fixtureServerForTests();
const temp = tempStoreForTests({ caseNumber: CASE });

function metadataOf(storeDir: string, item: ItemsJson['items'][number]): WebCaptureRecord {
  const artifact = item.artifacts.find((a) => a.role === 'metadata')!;
  return JSON.parse(fs.readFileSync(blobFile(storeDir, artifact.sha256), 'utf8')) as WebCaptureRecord;
}

/** A port on 127.0.0.1 where nothing listens. */
async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** Servers of single tests (each answers every request the same way), closed after the tests. */
const oneAnswerServers: http.Server[] = [];

/** An address on 127.0.0.1 whose server answers every request with `answer`. */
async function answeringWith(answer: (response: http.ServerResponse) => void): Promise<string> {
  const server = http.createServer((_request, response) => answer(response));
  oneAnswerServers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/post/1`;
}

/** An address on 127.0.0.1 whose server redirects every request to `location`. */
function redirectingTo(location: string): Promise<string> {
  return answeringWith((response) => response.writeHead(302, { Location: location }).end());
}
afterAll(() => {
  for (const server of oneAnswerServers) server.close();
});

/** A one-page PDF whose page is filled red, so that a screenshot shows whether it was drawn. */
const RED_PAGE_PDF = (() => {
  const content = '1 0 0 rg 0 0 600 600 re f';
  return [
    '%PDF-1.4',
    '1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj',
    '2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj',
    '3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 600 600] /Contents 4 0 R>> endobj',
    `4 0 obj <</Length ${content.length}>> stream\n${content}\nendstream endobj`,
    'trailer <</Root 1 0 R>>',
    '%%EOF',
  ].join('\n');
})();

/** Captures RED_PAGE_PDF from a server of its own: the item, and the stored file of each role. */
async function captureRedPagePdf() {
  const url = await answeringWith((response) =>
    response.writeHead(200, { 'Content-Type': 'application/pdf' }).end(RED_PAGE_PDF),
  );
  const result = await runCustosJson<ItemsJson>(['capture', url, '--case', CASE], {
    store: temp().dir,
    timeoutMs: CLI_TIMEOUT_MS,
  });
  expect(result.status, result.stderr).toBe(0);
  const item = result.json.items[0]!;
  const file = (role: string) => blobFile(temp().dir, item.artifacts.find((a) => a.role === role)!.sha256);
  return { url, item, file };
}

/** How many pixels of a PNG are pure red (the red page of RED_PAGE_PDF, drawn). */
async function redPixels(png: string): Promise<number> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let red = 0;
  for (let i = 0; i < data.length; i += info.channels)
    if (data[i]! > 200 && data[i + 1]! < 60 && data[i + 2]! < 60) red++;
  return red;
}

// Each test runs `custos` (and Chromium) one or more times; a busy two-core machine needs minutes.
describe('custos capture', { timeout: 180_000 }, () => {
  it('prints the contract JSON for a captured page, and the item is in the store with its files', async () => {
    const result = await runCustosJson<ItemsJson>(['capture', server().url('/post.html'), '--case', CASE], {
      store: temp().dir,
      timeoutMs: CLI_TIMEOUT_MS,
    });
    expect(result.status).toBe(0);
    expect(result.json.items).toHaveLength(1);
    const item = result.json.items[0]!;
    expect(item).toMatchObject({ url: server().url('/post.html') });
    expect(item.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(item.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(item.artifacts.map((a) => a.role)).toEqual([
      'screenshot',
      'viewport',
      'mhtml',
      'warc',
      'html',
      'text',
      'metadata',
    ]);
    for (const artifact of item.artifacts) {
      expect(Object.keys(artifact)).toEqual(expect.arrayContaining(['role', 'mediaType', 'size', 'sha256']));
      const file = blobFile(temp().dir, artifact.sha256);
      expect(fs.statSync(file).size).toBe(artifact.size);
      expect(sha256sum(file)).toBe(artifact.sha256);
    }
    const listed = await runCustosJson<ItemsJson>(['items', '--case', CASE], {
      store: temp().dir,
      timeoutMs: CLI_TIMEOUT_MS,
    });
    expect(listed.json.items.map((i) => i.id)).toContain(item.id);
  });

  it('keeps a requested #fragment in the address the browser ended on: the item, its record, the bundle manifest and report, also through a redirect', async () => {
    const direct = `${server().url('/post.html')}#comment-7`;
    const redirected = `${await redirectingTo(server().url('/post.html'))}#comment-9`;
    const result = await runCustosJson<{ items: (ItemsJson['items'][number] & { source: string })[] }>(
      ['capture', direct, redirected, '--case', CASE],
      {
        store: temp().dir,
        timeoutMs: CLI_TIMEOUT_MS,
      },
    );
    expect(result.status, result.stderr).toBe(0);
    // The browser carries the requested fragment through a redirect that names none of its own.
    const ended = [direct, `${server().url('/post.html')}#comment-9`];
    expect(result.json.items.map((i) => i.url)).toEqual(ended);
    expect(result.json.items.map((i) => i.source)).toEqual([direct, redirected]);
    const records = result.json.items.map((i) => metadataOf(temp().dir, i));
    expect(records.map((r) => r.finalUrl)).toEqual(ended);
    // What the page showed is the same address: the report has no second one to explain.
    expect(records.map((r) => r.documentUrl)).toEqual(ended);

    const bundle = path.join(temp().base, 'fragment.zip');
    const ids = result.json.items.flatMap((i) => ['--item', i.id]);
    const exported = await runCustos(['export', '--case', CASE, '--out', bundle, ...ids], {
      store: temp().dir,
      timeoutMs: CLI_TIMEOUT_MS,
    });
    expect(exported.status, exported.stderr).toBe(0);
    const unzipped = (name: string) =>
      execFileSync('unzip', ['-p', bundle, name], { maxBuffer: 256 * 1024 * 1024 }).toString('utf8');
    const manifest = JSON.parse(unzipped('manifest.json')) as {
      items: { sourceUrl: string }[];
    };
    expect(manifest.items.map((i) => i.sourceUrl)).toEqual(ended);
    const report = unzipped('report.html');
    expect(report).toContain(`<tr><th>Final URL</th><td><code class="url" dir="ltr">${ended[1]}</code>`);
    expect(report).not.toContain('Address shown when captured');
  });

  it('refuses non-http(s) and malformed URLs with exit 2 before any browser starts, writing nothing', async () => {
    const marker = path.join(temp().base, 'browser-started');
    const fakeBrowser = temp().writeFile('fake-chromium.sh', `#!/bin/sh\ntouch '${marker}'\nexit 1\n`);
    fs.chmodSync(fakeBrowser, 0o755);
    const before = storeState(temp().dir);
    for (const bad of [
      'javascript:alert(1)',
      'file:///etc/passwd',
      'data:text/html,<h1>x</h1>',
      'chrome://settings',
      'not a url',
      'http://',
    ]) {
      const result = await runCustos(['capture', server().url('/post.html'), bad, '--case', CASE], {
        store: temp().dir,
        timeoutMs: CLI_TIMEOUT_MS,
        env: { CUSTOS_CHROMIUM: fakeBrowser },
      });
      expect(result.status, bad).toBe(2);
      expect(result.stderr).toMatch(/only http:\/\/ and https:\/\/|not a valid URL|no host name/);
      expect(result.stdout).toBe('');
    }
    expect(fs.existsSync(marker)).toBe(false);
    expect(storeState(temp().dir)).toEqual(before);
  });

  it.each([
    [
      'the host name does not resolve',
      async () => 'http://no-such-host.invalid/post/1',
      'could not be resolved (DNS failure)',
    ],
    [
      'the server refuses the connection',
      async () => `http://127.0.0.1:${await closedPort()}/`,
      'refused the connection',
    ],
    [
      'the address is on a port the browser never connects to, saying so',
      async () => 'http://127.0.0.1:1/post/1',
      'the browser never connects to port 1 (ERR_UNSAFE_PORT)',
    ],
    [
      'the address redirects to a port the browser never connects to, naming that port, not its own',
      async () => redirectingTo('http://127.0.0.1:25/post/1'),
      'the address redirected to http://127.0.0.1:25/post/1, on port 25, which the browser never connects to (ERR_UNSAFE_PORT)',
    ],
  ])('fails with exit 3 and stores nothing when %s', async (_when, address, message) => {
    const before = storeState(temp().dir);
    const result = await runCustos(['capture', await address(), '--case', CASE], {
      store: temp().dir,
      timeoutMs: CLI_TIMEOUT_MS,
    });
    expect(result.status).toBe(3);
    expect(result.stderr).toContain(message);
    expect(storeState(temp().dir)).toEqual(before);
  });

  it('still stores the pages that load when another page of the same run fails, and exits 3', async () => {
    const result = await runCustosJson<ItemsJson & { failed: { url: string; error: string }[] }>(
      ['capture', 'http://no-such-host.invalid/', server().url('/removed'), '--case', CASE],
      { store: temp().dir, timeoutMs: CLI_TIMEOUT_MS },
    );
    expect(result.status).toBe(3);
    expect(result.json.items.map((i) => i.url)).toEqual([server().url('/removed')]);
    expect(result.json.failed).toEqual([
      { url: 'http://no-such-host.invalid/', error: expect.stringContaining('DNS failure') },
    ]);
  });

  it('stores a page whose server answers 404 with no body at all, exit 0 with the warning, the status in its record, and no title', async () => {
    // Chromium shows its own error page for an empty error answer and reports the navigation as
    // failed (ERR_HTTP_RESPONSE_CODE_FAILURE); the server did answer, and "gone" is evidence too.
    const url = await answeringWith((response) => response.writeHead(404).end());
    const result = await runCustosJson<ItemsJson & { failed?: unknown }>(['capture', url, '--case', CASE], {
      store: temp().dir,
      timeoutMs: CLI_TIMEOUT_MS,
    });
    expect(result.stderr).toContain(`warning: ${url} answered HTTP 404`);
    expect(result.status).toBe(0);
    expect(result.json.failed).toBeUndefined();
    const item = result.json.items[0]! as ItemsJson['items'][number] & { title: string | null };
    expect(item.url).toBe(url);
    const record = metadataOf(temp().dir, item);
    expect(record.httpStatus).toBe(404);
    expect(record.notes.join('\n')).toMatch(/error answer had no body of its own/);
    // The server gave no title; the browser's error page's ("127.0.0.1") is not the page's.
    expect(item.title).toBeNull();
    expect(record.page.title).toBe('');
  });

  it("captures a PDF with only the web's traffic in its WARC, the PDF's answer included, not the browser's PDF viewer's own files", async () => {
    const { url, file } = await captureRedPagePdf();
    // Whether the viewer's own requests have all ended when the capture is taken depends on the
    // machine's load (seen 'unfinished' on a loaded two-core run): not asserted; what the WARC holds is.
    const uris = (await readWarc(fs.readFileSync(file('warc'))))
      .filter((r) => r.type === 'response')
      .map((r) => r.targetUri);
    expect(uris).toContain(url);
    expect(uris.filter((uri) => !uri?.startsWith('http://127.0.0.1:'))).toEqual([]);
  });

  it("keeps in a PDF's WARC one answer for its address, the server's bytes under their digest, never the page the browser's PDF viewer makes there", async () => {
    const { url, item, file } = await captureRedPagePdf();
    const records = await readWarc(fs.readFileSync(file('warc')));
    const forPdf = records.filter((r) => r.targetUri === url);
    expect(forPdf.map((r) => r.type).sort()).toEqual(['request', 'response']);
    const response = forPdf.find((r) => r.type === 'response')!;
    expect(response.payload.equals(Buffer.from(RED_PAGE_PDF))).toBe(true);
    expect(response.headers.get('warc-payload-digest')).toBe(
      `sha256:${createHash('sha256').update(RED_PAGE_PDF).digest('hex')}`,
    );
    // The server answers every address with the PDF (the favicon too): any other payload is the browser's.
    for (const r of records.filter((r) => r.type === 'response'))
      expect(r.payload.toString('latin1'), r.targetUri ?? '').toBe(RED_PAGE_PDF);
    // What a replayer (pywb, ReplayWeb.page) looks the address up in: one answer, the PDF.
    const index = (await cdxjIndex([{ name: 'page.warc.gz', file: file('warc') }]))
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line.slice(line.indexOf('{'))) as Record<string, string>)
      .filter((entry) => entry.url === url);
    expect(index).toEqual([expect.objectContaining({ mime: 'application/pdf', status: '200' })]);
    const record = metadataOf(temp().dir, item);
    expect(record.network.warc.bodiesFromDecodedText).toBe(0);
    const notes = record.notes.join('\n');
    expect(notes).not.toMatch(/decoded text/);
    // The DOM, text and MHTML are of the viewer's page: the record says so, as for an image or JSON.
    expect(notes).toMatch(/application\/pdf, not a web page.*PDF viewer.*WARC/);
    expect(notes).toMatch(/answered by the browser itself.*not in the WARC/);
    expect(fs.readFileSync(file('html'), 'utf8')).not.toContain('%PDF');
  });

  it('says in the record of an image or JSON address that its html, MHTML and text are of the page the browser shows it in, and says nothing of the kind for a web page', async () => {
    const urls = [server().url('/img/boat.jpg'), server().url('/api/view'), server().url('/post.html')];
    const result = await runCustosJson<ItemsJson>(['capture', ...urls, '--case', CASE], {
      store: temp().dir,
      timeoutMs: CLI_TIMEOUT_MS,
    });
    expect(result.status, result.stderr).toBe(0);
    const [image, json, page] = result.json.items.map((item) =>
      metadataOf(temp().dir, item).notes.join('\n'),
    );
    expect(image).toMatch(
      /answered image\/jpeg, not a web page.*html and MHTML are of that page.*in the WARC/,
    );
    expect(json).toMatch(/answered application\/json, not a web page.*html and MHTML are of that page/);
    expect(page).not.toMatch(/not a web page/);
  });

  it("shows a captured PDF's page in both screenshots, drawn by the browser's PDF viewer, and lists no blocked attempt for the viewer itself", async () => {
    const { item, file } = await captureRedPagePdf();
    // The red page fills most of the viewer's document area once drawn (the empty viewer is grey).
    expect(await redPixels(file('viewport'))).toBeGreaterThan(100_000);
    expect(await redPixels(file('screenshot'))).toBeGreaterThan(100_000);
    const record = metadataOf(temp().dir, item);
    expect(record.notes.join('\n')).not.toMatch(/PDF viewer had not drawn/);
    expect(record.blocked).toEqual([]);
  });

  it('still lists a page that tries to load the PDF viewer in a frame of its own as refused', async () => {
    const viewer = 'chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai/index.html';
    const url = await answeringWith((response) =>
      response
        .writeHead(200, { 'Content-Type': 'text/html' })
        .end(`<title>Viewer</title><iframe src="${viewer}"></iframe>`),
    );
    const result = await runCustosJson<ItemsJson>(['capture', url, '--case', CASE], {
      store: temp().dir,
      timeoutMs: CLI_TIMEOUT_MS,
    });
    expect(result.status, result.stderr).toBe(0);
    expect(metadataOf(temp().dir, result.json.items[0]!).blocked).toEqual([
      expect.objectContaining({ kind: 'navigation', url: viewer }),
    ]);
  });

  it('lists no blocked attempt for iframes without src or with srcdoc (the browser shows them; nothing was refused)', async () => {
    const url = await answeringWith((response) =>
      response
        .writeHead(200, { 'Content-Type': 'text/html' })
        .end(
          '<title>Frames</title><iframe></iframe><iframe srcdoc="<p>inline</p>"></iframe><script>document.body.appendChild(document.createElement("iframe"))</script>',
        ),
    );
    const result = await runCustosJson<ItemsJson>(['capture', url, '--case', CASE], {
      store: temp().dir,
      timeoutMs: CLI_TIMEOUT_MS,
    });
    expect(result.status, result.stderr).toBe(0);
    expect(metadataOf(temp().dir, result.json.items[0]!).blocked).toEqual([]);
  });

  it('exits 3 when the browser crashes mid-capture, saying so last, leaves the store unchanged, and the next capture works', async () => {
    const before = storeState(temp().dir);
    const child = spawnCustos(['capture', server().url('/hanging.html'), '--case', CASE], {
      store: temp().dir,
      timeoutMs: CLI_TIMEOUT_MS,
    });
    const done = waitForCustos(child, { timeoutMs: 120_000 });
    // Wait until the page is loading (its never-ending image was asked for), then kill the browser.
    const deadline = Date.now() + 60_000;
    let browserPid: number | undefined;
    while (Date.now() < deadline && browserPid === undefined) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      if (!server().requests.some((r) => r.url === '/hang/photo.jpg')) continue;
      const children = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(child.pid)]).toString('utf8');
      const line = children.split('\n').find((l) => /chrom/i.test(l));
      if (line) browserPid = Number(line.trim().split(/\s+/)[0]);
    }
    expect(browserPid).toBeDefined();
    process.kill(browserPid!, 'SIGKILL');
    const result = await done;
    expect(result.status).toBe(3);
    expect(result.stderr).toMatch(/browser closed or crashed|crashed/);
    // Its failure is the last it says: the capture it gave up does not go on reporting its stages
    // (before, "scrolling through …" came once the 20 s wait for the page's load had run out).
    expect(result.stderr.trimEnd().split('\n').at(-1)).toMatch(/could not be captured; nothing was stored/);
    expect(storeState(temp().dir)).toEqual(before);

    const next = await runCustosJson<ItemsJson>(['capture', server().url('/post.html'), '--case', CASE], {
      store: temp().dir,
      timeoutMs: CLI_TIMEOUT_MS,
    });
    expect(next.status).toBe(0);
    expect(next.json.items).toHaveLength(1);
  });
});

describe('custos capture over https', { timeout: 180_000 }, () => {
  let tls: FixtureServer;
  let certificate: TestCertificate;

  beforeAll(async () => {
    certificate = makeTestCertificate(temp().base);
    tls = await startFixtureServer({ tls: certificate });
  });

  afterAll(async () => {
    await tls?.close();
  });

  it('refuses an untrusted certificate with exit 3 and the TLS reason, storing nothing', async () => {
    const before = storeState(temp().dir);
    const result = await runCustos(['capture', tls.url('/post.html'), '--case', CASE], {
      store: temp().dir,
      timeoutMs: CLI_TIMEOUT_MS,
    });
    expect(result.status).toBe(3);
    expect(result.stderr).toMatch(/TLS.*ERR_CERT_AUTHORITY_INVALID/);
    expect(storeState(temp().dir)).toEqual(before);
  });

  it('records the TLS protocol, cipher and the certificate with its SHA-256 fingerprint', async () => {
    const result = await runCustosJson<ItemsJson>(['capture', tls.url('/post.html'), '--case', CASE], {
      store: temp().dir,
      timeoutMs: CLI_TIMEOUT_MS,
      env: { CUSTOS_CHROMIUM_ARGS: `--ignore-certificate-errors-spki-list=${certificate.spkiSha256Base64}` },
    });
    expect(result.status, result.stderr).toBe(0);
    const record = metadataOf(temp().dir, result.json.items[0]!);
    expect(record.tls).toMatchObject({
      protocol: expect.stringMatching(/^TLS 1\.[23]$/),
      cipher: expect.any(String),
      certificate: {
        subject: 'custos-fixture.test',
        issuer: 'custos-fixture.test',
        subjectAlternativeNames: expect.arrayContaining(['127.0.0.1', 'localhost']),
        sha256Fingerprint: certificate.fingerprint256,
      },
    });
    expect(Date.parse(record.tls!.certificate.validTo)).toBeGreaterThan(Date.now());
    expect(record.browser.extraArgs).toEqual([
      `--ignore-certificate-errors-spki-list=${certificate.spkiSha256Base64}`,
    ]);
    expect(record.server).toMatchObject({ ip: '127.0.0.1', port: Number(new URL(tls.origin).port) });
  });
});
