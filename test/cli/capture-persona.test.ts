import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWarc } from '../core/capture/artifact-readers.js';
import { type FixtureServer, startFixtureServer } from '../support/fixture-server.js';
import { started, untilSaidOrExited } from '../support/paused-writer.js';
import { runCustos, runCustosJson, spawnCustos } from '../support/run-custos.js';
import { makeTempStore, type TempStore } from '../support/temp-store.js';
import { blobFile, type ItemsJson } from './cli-fixtures.js';

/** One `custos` run may take long on a busy machine (Chromium starts, loads, captures). */
const CLI_TIMEOUT_MS = 150_000;
const CASE = 'BE-9';

let server: FixtureServer;
let temp: TempStore;
let xvfb: ChildProcess | undefined;
let display: string;

/** Starts a virtual X display for the persona's visible browser window. */
async function startXvfb(): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const number = 90 + Math.floor(Math.random() * 400);
    if (fs.existsSync(`/tmp/.X11-unix/X${number}`) || fs.existsSync(`/tmp/.X${number}-lock`)) continue;
    const child = spawn('Xvfb', [`:${number}`, '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], {
      stdio: 'ignore',
    });
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && child.exitCode === null && !fs.existsSync(`/tmp/.X11-unix/X${number}`)) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (child.exitCode === null && fs.existsSync(`/tmp/.X11-unix/X${number}`)) {
      xvfb = child;
      display = `:${number}`;
      return;
    }
    child.kill('SIGKILL');
  }
  throw new Error('Xvfb could not start a display');
}

function textOf(item: ItemsJson['items'][number]): string {
  const text = item.artifacts.find((a) => a.role === 'text')!;
  return fs.readFileSync(blobFile(temp.dir, text.sha256), 'utf8');
}

beforeAll(async () => {
  server = await startFixtureServer();
  temp = makeTempStore({ caseNumber: CASE });
  await startXvfb();
});

afterAll(async () => {
  xvfb?.kill('SIGTERM');
  temp?.remove();
  await server?.close();
});

describe('personas', { timeout: 240_000 }, () => {
  it('keeps a login made in the persona window, so a capture with --persona sees the page behind it', async () => {
    const window = spawnCustos(['persona', 'open', 'undercover-1', '--url', server.url('/login')], {
      store: temp.dir,
      timeoutMs: CLI_TIMEOUT_MS,
      env: { DISPLAY: display },
    });
    const opening = started(window, 'stderr', { timeoutMs: 90_000 });
    // The window is open, the login page committed (its cookie set), and the command listens for
    // the signal once it says so: a SIGTERM before that ended it (node's default) with nothing saved.
    await untilSaidOrExited(opening, /log in in the browser window, then close it/);
    expect(server.requests.some((r) => r.url === '/login')).toBe(true);
    // The investigator is done: closing from the terminal saves the profile like closing the window.
    window.kill('SIGTERM');
    const opened = await opening.result;
    expect(opened.status, opened.stderr).toBe(0);
    expect(opened.stderr).toContain('Created persona undercover-1');

    const listed = await runCustosJson<{ personas: { name: string }[] }>(['persona', 'list'], {
      store: temp.dir,
      timeoutMs: CLI_TIMEOUT_MS,
    });
    expect(listed.json.personas.map((p) => p.name)).toEqual(['undercover-1']);

    const behindLogin = await runCustosJson<ItemsJson>(
      ['capture', server.url('/account'), '--case', CASE, '--persona', 'undercover-1'],
      { store: temp.dir, timeoutMs: CLI_TIMEOUT_MS },
    );
    expect(behindLogin.status, behindLogin.stderr).toBe(0);
    const item = behindLogin.json.items[0]!;
    expect(textOf(item)).toContain('PRIVATE-GROUP-CONTENT');
    const metadata = item.artifacts.find((a) => a.role === 'metadata')!;
    const record = JSON.parse(fs.readFileSync(blobFile(temp.dir, metadata.sha256), 'utf8'));
    expect(record.browser.persona).toBe('undercover-1');

    // The session cookie went to the site but not into the evidence: the WARC holds its hash.
    const warc = item.artifacts.find((a) => a.role === 'warc')!;
    const records = await readWarc(fs.readFileSync(blobFile(temp.dir, warc.sha256)));
    const request = records.find((r) => r.type === 'request' && r.targetUri === server.url('/account'))!;
    const cookie = request.httpHeaders.find(([name]) => name === 'cookie')?.[1];
    expect(cookie).toMatch(/^\[withheld by Custos; sha256=[0-9a-f]{64}\]$/);
    expect(zlib.gunzipSync(request.raw).includes('session=undercover-42')).toBe(false);

    const anonymous = await runCustosJson<ItemsJson>(['capture', server.url('/account'), '--case', CASE], {
      store: temp.dir,
      timeoutMs: CLI_TIMEOUT_MS,
    });
    expect(textOf(anonymous.json.items[0]!)).toContain('Please log in');
  });

  it('refuses an unknown or unsafe persona name with exit 2', async () => {
    const unknown = await runCustos(
      ['capture', server.url('/account'), '--case', CASE, '--persona', 'nobody'],
      {
        store: temp.dir,
        timeoutMs: CLI_TIMEOUT_MS,
      },
    );
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('there is no persona named nobody');
    const unsafe = await runCustos(['persona', 'open', '../escape'], {
      store: temp.dir,
      timeoutMs: CLI_TIMEOUT_MS,
      env: { DISPLAY: display },
    });
    expect(unsafe.status).toBe(2);
    expect(unsafe.stderr).toContain('not a valid persona name');
  });

  it('says persona open needs a display, with exit 3, where there is none', async () => {
    const result = await runCustos(['persona', 'open', 'undercover-2'], {
      store: temp.dir,
      timeoutMs: CLI_TIMEOUT_MS,
      env: { DISPLAY: undefined, WAYLAND_DISPLAY: undefined },
    });
    expect(result.status).toBe(3);
    expect(result.stderr).toContain('no display');
  });

  it('refuses a bad persona name with exit 2 even where there is no display to open it on', async () => {
    const result = await runCustos(['persona', 'open', '../escape'], {
      store: temp.dir,
      timeoutMs: CLI_TIMEOUT_MS,
      env: { DISPLAY: undefined, WAYLAND_DISPLAY: undefined },
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('not a valid persona name');
  });
});
