/**
 * Boots a built main bundle on plain Node with the `electron` module stood in (the Electron binary
 * cannot run here), and prints on stdout, as JSON, what the shell did: run by
 * test/electron/boot.test.ts in a child process, so the module hooks get a fresh loader.
 *
 *   node --import tsx test/electron/boot/boot-app.ts OUT_ELECTRON_DIR
 *
 * Then, as the app would: Electron becomes ready, the window is made, its preload (the built
 * preload.cjs, run in a context of its own with only `electron` to require) builds `window.custos`
 * in a page context, and the page calls the API through IPC into the real service and store
 * (CUSTOS_STORE); then the window closes and the app quits. An import error or a crash exits
 * non-zero with the error on stderr.
 */
import fs from 'node:fs';
import { register } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import type { CustosApi } from '../../../shared/api.js';
import { FakeBrowserWindow, FakeRenderer, setPageRunner } from '../fake-electron.js';

const outElectron = path.resolve(process.argv[2] ?? 'out/electron');
const standIn = pathToFileURL(path.join(import.meta.dirname, 'electron-stand-in.ts')).href;
register('./electron-hooks.mjs', import.meta.url, { data: { standIn } });
const { fake } = (await import(standIn)) as typeof import('./electron-stand-in.js');

const windowMade = new Promise<FakeBrowserWindow>((resolve) => {
  FakeBrowserWindow.onCreated = resolve;
});
await import(pathToFileURL(path.join(outElectron, 'main.js')).href);
const beforeReady = {
  privilegedSchemes: fake.privilegedSchemes,
  appName: fake.app.name,
  userData: fake.app.getPath('userData'),
};
fake.app.becomeReady();
const window = await windowMade;
const webPreferences = window.options.webPreferences as Record<string, unknown>;
const preloadFile = String(webPreferences.preload);

/** What the app's scheme answers for an address (the renderer's files, served by the shell). */
async function served(address: string): Promise<{ status: number; type: string | null; body: string }> {
  const handler = fake.defaultSession.handlers.get('custos-app');
  if (!handler) return { status: 0, type: null, body: '' };
  const response = await handler(new Request(address));
  return { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
}

const entry = await served(window.loadedUrl ?? '');
const script = /<script[^>]+src="([^"]+)"/.exec(entry.body)?.[1];
const entryScript = script ? await served(new URL(script, window.loadedUrl ?? '').href) : null;

/** What the replay scheme answers (the engine's files and WARCs, from the API service). */
async function replayServed(address: string): Promise<{ status: number; policy: string | null } | null> {
  const handler = fake.defaultSession.handlers.get('custos-replay');
  if (!handler) return null;
  const response = await handler(new Request(address));
  await response.arrayBuffer();
  return { status: response.status, policy: response.headers.get('content-security-policy') };
}

/** Whether the default session's request guard lets an address through (null: no guard). */
function sessionAllows(address: string): boolean | null {
  const listener = fake.defaultSession.beforeRequest;
  if (!listener) return null;
  let allowed: boolean | null = null;
  listener({ url: address }, (response) => {
    allowed = response.cancel !== true;
  });
  return allowed;
}

const replay = {
  framePage: await replayServed('custos-replay://replay/'),
  serviceWorker: await replayServed('custos-replay://replay/sw.js'),
  cleared: fake.defaultSession.cleared,
  allows: {
    app: sessionAllows('custos-app://app/index.html'),
    replay: sessionAllows('custos-replay://replay/w/item-x/mp_/https://example.org/'),
    web: sessionAllows('https://example.org/'),
    socket: sessionAllows('wss://example.org/live'),
  },
};

/** Runs the preload as Electron's sandbox does: its own context, `require` answering `electron` only. */
function runPreload(renderer: FakeRenderer): string[] {
  const required: string[] = [];
  const preloadRequire = (id: string) => {
    required.push(id);
    if (id === 'electron') return renderer.module();
    throw new Error(`a sandboxed preload cannot require ${id}`);
  };
  const context = vm.createContext({ console, process: { platform: process.platform } });
  const wrapper = vm.runInContext(
    `(function (require, module, exports) {${fs.readFileSync(preloadFile, 'utf8')}\n})`,
    context,
    { filename: preloadFile },
  ) as (require: unknown, module: unknown, exports: unknown) => void;
  const module = { exports: {} };
  wrapper(preloadRequire, module, module.exports);
  return required;
}

const renderer = new FakeRenderer(fake.ipcMain, window.webContents);
const pageContext = vm.createContext(renderer.page);
setPageRunner((page, source, args) => {
  page.__args = args;
  try {
    return vm.runInContext(source, pageContext);
  } finally {
    delete page.__args;
  }
});
const preloadExists = fs.existsSync(preloadFile);
const required = preloadExists ? runPreload(renderer) : [];
const custos = renderer.page.custos as CustosApi | undefined;
const calls = custos
  ? {
      initProfile: await custos.initProfile({ name: 'Ana Ruiz', agency: 'Boot Unit', badge: '7' }),
      createCase: await custos.createCase({ number: 'BOOT-1', title: 'Started app' }),
      listCases: await custos.listCases({}),
    }
  : null;
const channelsWhileOpen = fake.ipcMain.channels();

window.destroy();
fake.app.emit('window-all-closed');
fake.app.emit('will-quit');

const report = {
  ...beforeReady,
  window: {
    loadedUrl: window.loadedUrl,
    preload: preloadFile,
    preloadExists,
    icon: window.options.icon ?? null,
    sandbox: webPreferences.sandbox,
    contextIsolation: webPreferences.contextIsolation,
    nodeIntegration: webPreferences.nodeIntegration,
  },
  served: { entry: { status: entry.status, type: entry.type }, entryScript: entryScript?.status ?? null },
  replay,
  menuSet: fake.applicationMenu !== null,
  permissionsGuarded: fake.defaultSession.permissionCheckHandler !== null,
  errorBoxes: fake.errorBoxes,
  preload: { required, exposed: Object.keys(renderer.page).sort() },
  channelsWhileOpen,
  calls,
  quit: {
    quitCalled: fake.app.quitCalled,
    exitCode: fake.app.exitCode,
    channelsAfter: fake.ipcMain.channels(),
  },
};
process.stdout.write(`${JSON.stringify(report)}\n`);
