/**
 * The desktop app starts: the built main bundle (out/electron/main.js, from `npm run
 * build:electron`) is booted on plain Node in a child process, with the `electron` module stood in
 * through Node's module hooks (test/electron/boot/): the Electron binary cannot run on the
 * development machines, so Electron's objects are the fakes of test/electron/fake-electron.ts;
 * everything else is real (the bundle, the built preload and renderer, the API service, a store
 * in a temp folder). An import error, a wrong path or a missing file in out/ fails it.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvidenceStore } from '../../electron/core/store/evidence-store.js';
import { API_METHODS } from '../../shared/api.js';
import { SHELL_METHODS } from '../../shared/shell-api.js';
import { buildAppOnce } from '../support/built-app.js';
import { makeTempDir, removeTempDir } from '../support/temp-store.js';

const run = promisify(execFile);
const repo = path.resolve(import.meta.dirname, '..', '..');
const outElectron = path.join(repo, 'out', 'electron');
const bootScript = path.join(import.meta.dirname, 'boot', 'boot-app.ts');

/** What boot-app.ts reports. */
interface BootReport {
  readonly privilegedSchemes: unknown[];
  readonly appName: string;
  readonly userData: string;
  readonly window: {
    readonly loadedUrl: string | null;
    readonly preload: string;
    readonly preloadExists: boolean;
    readonly icon: string | null;
    readonly sandbox: unknown;
    readonly contextIsolation: unknown;
    readonly nodeIntegration: unknown;
  };
  readonly served: {
    readonly entry: { readonly status: number; readonly type: string | null };
    readonly entryScript: number | null;
  };
  readonly replay: {
    readonly framePage: { readonly status: number; readonly policy: string | null } | null;
    readonly serviceWorker: { readonly status: number; readonly policy: string | null } | null;
    readonly cleared: unknown[];
    readonly allows: Record<'app' | 'replay' | 'web' | 'socket', boolean | null>;
  };
  readonly menuSet: boolean;
  readonly permissionsGuarded: boolean;
  readonly errorBoxes: unknown[];
  readonly preload: { readonly required: string[]; readonly exposed: string[] };
  readonly channelsWhileOpen: string[];
  readonly calls: Record<string, { ok: boolean; value?: unknown; error?: unknown }> | null;
  readonly quit: {
    readonly quitCalled: boolean;
    readonly exitCode: number | null;
    readonly channelsAfter: string[];
  };
}

/** Boots the bundle in `electronDir` against a fresh store under `base`. */
async function boot(electronDir: string, base: string): Promise<BootReport> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', bootScript, electronDir], {
    cwd: repo,
    env: { ...process.env, CUSTOS_STORE: path.join(base, 'store'), CUSTOS_BOOT_HOME: base },
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout) as BootReport;
}

/** What keeps the app from working, in a person's words; empty when it started as it should. */
function problems(report: BootReport): string[] {
  const found: string[] = [];
  if (!report.window.preloadExists)
    found.push(`the window's preload ${report.window.preload} does not exist`);
  if (report.served.entry.status !== 200) found.push(`the app's page answered ${report.served.entry.status}`);
  if (report.served.entryScript !== 200)
    found.push(`the page's script answered ${report.served.entryScript}`);
  if (report.calls === null) found.push('the preload built no window.custos');
  return found;
}

describe('the built desktop app boots (electron stood in: its binary cannot run here)', () => {
  let base: string;
  let report: BootReport;

  beforeAll(async () => {
    base = makeTempDir('custos-boot-');
    await buildAppOnce();
    report = await boot(outElectron, base);
  }, 300_000);

  afterAll(() => removeTempDir(base));

  it('names the app, registers its scheme before ready, and keeps its data in the Custos folder', () => {
    expect(report.appName).toBe('Custos');
    expect(report.privilegedSchemes).toEqual([
      { scheme: 'custos-app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
      {
        scheme: 'custos-replay',
        privileges: {
          standard: true,
          secure: true,
          supportFetchAPI: true,
          allowServiceWorkers: true,
          stream: true,
        },
      },
    ]);
    expect(report.userData).toBe(path.join(base, 'appData', 'Custos'));
    expect(report.errorBoxes).toEqual([]);
  });

  it('opens the window on the app’s page with the built preload, sandboxed, and serves the built renderer', () => {
    expect(problems(report)).toEqual([]);
    expect(report.window).toMatchObject({
      loadedUrl: 'custos-app://app/index.html',
      preload: path.join(outElectron, 'preload.cjs'),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
    });
    expect(report.served.entry.type).toBe('text/html; charset=utf-8');
    // The window's icon on Linux (electron/main/app-icon.ts), from the committed assets.
    expect(report.window.icon).toBe(path.join(repo, 'assets', 'icons', '256x256.png'));
    expect(fs.existsSync(report.window.icon ?? '')).toBe(true);
    expect(report.menuSet).toBe(true);
    expect(report.permissionsGuarded).toBe(true);
  });

  it('serves the built replay engine on the replay scheme, framed by the app only, after forgetting earlier replays', () => {
    expect(report.replay.framePage?.status).toBe(200);
    expect(report.replay.framePage?.policy).toContain('frame-ancestors custos-app://app');
    expect(report.replay.serviceWorker?.status).toBe(200);
    expect(report.replay.serviceWorker?.policy).toContain("connect-src 'self'");
    expect(report.replay.cleared).toEqual([
      {
        origin: 'custos-replay://replay',
        storages: ['indexdb', 'serviceworkers', 'cachestorage', 'localstorage'],
      },
    ]);
  });

  it('keeps the window’s session off the network: its own schemes pass, the web and sockets do not', () => {
    expect(report.replay.allows).toEqual({ app: true, replay: true, web: false, socket: false });
  });

  it('registers one IPC channel per API and shell method, and removes them all on quit', () => {
    expect([...report.channelsWhileOpen].sort()).toEqual(
      [...API_METHODS.map((m) => `custos:api:${m}`), ...SHELL_METHODS.map((m) => `custos:shell:${m}`)].sort(),
    );
    expect(report.quit).toEqual({ quitCalled: true, exitCode: null, channelsAfter: [] });
  });

  it('runs the preload with nothing but electron to require, exposing only its two bridges to the page', () => {
    // window.custos is built in the page from custosIpc (and is not enumerable: it cannot be replaced).
    expect(report.preload).toEqual({ required: ['electron'], exposed: ['custosIpc', 'custosShell'] });
    const bundle = fs.readFileSync(path.join(outElectron, 'preload.cjs'), 'utf8');
    expect([...bundle.matchAll(/\brequire\(\s*(["'`])([^"'`]+)\1\s*\)/g)].map((m) => m[2])).toEqual([
      'electron',
    ]);
    expect(bundle.match(/\brequire\(/g)).toHaveLength(1);
  });

  it('answers the page’s API calls through the preload and IPC from a real store in the folder it was given', () => {
    expect(report.calls).toMatchObject({
      initProfile: { ok: true, value: { name: 'Ana Ruiz', agency: 'Boot Unit' } },
      createCase: { ok: true, value: { number: 'BOOT-1' } },
      listCases: { ok: true, value: [{ number: 'BOOT-1', itemCount: 0 }] },
    });
    const store = EvidenceStore.openForReading(path.join(base, 'store'));
    try {
      expect(store.listCases().map((c) => c.title)).toEqual(['Started app']);
    } finally {
      store.close();
    }
  });

  it('would fail on an incomplete out/: a bundle without its preload and renderer is caught', async () => {
    const broken = makeTempDir('custos-boot-broken-');
    try {
      fs.mkdirSync(path.join(broken, 'out', 'electron'), { recursive: true });
      fs.copyFileSync(path.join(outElectron, 'main.js'), path.join(broken, 'out', 'electron', 'main.js'));
      // The app's root as in a package: its package.json (an ES module package) and node_modules.
      fs.copyFileSync(path.join(repo, 'package.json'), path.join(broken, 'package.json'));
      fs.symlinkSync(path.join(repo, 'node_modules'), path.join(broken, 'node_modules'), 'dir');
      const brokenReport = await boot(path.join(broken, 'out', 'electron'), broken);
      expect(problems(brokenReport)).toEqual([
        `the window's preload ${path.join(broken, 'out', 'electron', 'preload.cjs')} does not exist`,
        "the app's page answered 404",
        "the page's script answered null",
        'the preload built no window.custos',
      ]);
    } finally {
      removeTempDir(broken);
    }
  });
});
