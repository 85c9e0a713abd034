/**
 * The browser harness's loopback transport: the same API over fetch, guarded by its token and its
 * host name, with progress and cancel carried by the call's own response.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiProgress } from '../../shared/api.js';
import { type Harness, startHarness } from '../../tools/harness/harness-server.js';
import { createLoopbackClient, type LoopbackClient } from '../../tools/harness/loopback-client.js';
import { builtRenderer } from './support/ui-session.js';

let work: string;
let harness: Harness;
let client: LoopbackClient;

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-harness-test-'));
  harness = await startHarness({
    rendererDir: await builtRenderer(),
    storeDir: path.join(work, 'store'),
    exportDir: path.join(work, 'exports'),
    uploadDir: path.join(work, 'uploads'),
  });
  client = createLoopbackClient({ baseUrl: harness.origin, token: harness.token });
}, 120_000);

afterAll(async () => {
  await harness?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

/** A raw request, to send what a hostile page or a rebinding attack would. */
function rawRequest(
  pathname: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; body: string }> {
  const url = new URL(harness.origin);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: pathname,
        method: options.method ?? 'GET',
        headers: options.headers,
      },
      (res) => {
        let body = '';
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('the loopback transport', () => {
  it('refuses an API call without the token and does nothing', async () => {
    const answer = await rawRequest('/api/initProfile', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Intruder' }),
    });
    expect(answer.status).toBe(403);
    expect(fs.existsSync(path.join(work, 'store'))).toBe(false);
  });

  it('refuses a request for another host name (DNS rebinding)', async () => {
    const answer = await rawRequest('/', { headers: { host: 'attacker.test' } });
    expect(answer.status).toBe(421);
  });

  it('serves no file outside the built renderer', async () => {
    expect((await rawRequest('/../../package.json')).status).toBe(404);
    expect((await rawRequest('/%2e%2e/%2e%2e/package.json')).status).toBe(404);
  });

  it('puts the binding script before the app, under the page’s own CSP', async () => {
    const page = await rawRequest('/');
    expect(page.status).toBe(200);
    expect(page.body).toContain("connect-src 'self'");
    expect(page.body.indexOf('harness-binding.js')).toBeGreaterThan(0);
    expect(page.body.indexOf('harness-binding.js')).toBeLessThan(page.body.indexOf('/assets/index-'));
  });

  it('carries calls and their results as ApiResult values', async () => {
    expect(await client.api.getProfile({})).toEqual({ ok: true, value: null });
    const made = await client.api.initProfile({ name: 'Ana Ruiz' });
    expect(made.ok && made.value.name).toBe('Ana Ruiz');
    const refused = await client.api.createCase({ number: 'BE-1', title: '   ' });
    expect(refused).toEqual({
      ok: false,
      error: { kind: 'bad-input', message: 'case title must not be empty' },
    });
  });

  it('uploads a dropped file with its name and time, and imports it with progress', async () => {
    const created = await client.api.createCase({ number: 'H-1', title: 'harness' });
    expect(created.ok).toBe(true);
    const when = Date.UTC(2026, 0, 2, 3, 4, 5);
    const uploaded = await client.upload('زورق.txt', new TextEncoder().encode('bytes\n'), when);
    expect(path.basename(uploaded)).toBe('زورق.txt');
    expect(fs.statSync(uploaded).mtimeMs).toBe(when);
    const progress: ApiProgress[] = [];
    const result = await client.api.importFiles(
      { caseRef: 'H-1', paths: [uploaded] },
      { onProgress: (p) => progress.push(p) },
    );
    expect(result.ok && result.value.items.map((i) => i.source)).toEqual(['زورق.txt']);
    expect(progress).toEqual([{ done: 0, total: 1, subject: uploaded, stage: 'importing', failures: [] }]);
  });

  it('turns an abort into a cancelled call', async () => {
    const controller = new AbortController();
    const pending = client.api.auditStore({}, { signal: controller.signal });
    controller.abort();
    expect(await pending).toEqual({
      ok: false,
      error: { kind: 'cancelled', message: 'cancelled; nothing more was done' },
    });
    // The service is still there for the next call.
    expect((await client.api.listCases({})).ok).toBe(true);
  });
});
