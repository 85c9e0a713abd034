/**
 * The Electron main process. Thin by design (docs/ARCHITECTURE.md, "The desktop shell"): the boot
 * below is a list of steps, each wiring one part of the shell; every rule about evidence lives in
 * electron/core and is tested on plain Node.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, session } from 'electron';
import type { CaptureShortcut } from '../../shared/shortcuts.js';
import { type ApiService, createApiService } from '../core/api/api-service.js';
import type { LiveViewSource } from '../core/api/handlers/handlers.js';
import { loadSqliteBindingFrom } from '../core/store/sqlite-binding.js';
import { resolveStoreDir } from '../core/store/store-layout.js';
import { APP_BASE, APP_ORIGIN, REPLAY_BASE } from './app-address.js';
import { windowIconPath } from './app-icon.js';
import { registerAppSchemes, serveAppFiles } from './app-protocol.js';
import { ElectronPdfPrinter } from './electron-pdf-printer.js';
import { registerApiIpc } from './ipc-api.js';
import { electronBrowserProvider } from './live/electron-capture-browser.js';
import { LiveCaptureController } from './live/live-capture-controller.js';
import { createMainWindow } from './main-window.js';
import { buildAppMenu } from './menu.js';
import { forgetReplays, keepSessionOffline, serveReplays } from './replay-protocol.js';
import { safeStorageProtector } from './safe-storage-protector.js';
import { chooseSavePath } from './save-dialog.js';
import { denySessionPermissions, denyWindowsAndWebviews } from './session-guards.js';
import { registerShellIpc } from './shell-ipc.js';
import { chooseSqliteBinding } from './sqlite-native.js';
import { TrustedSenders } from './trusted-sender.js';

const here = path.dirname(fileURLToPath(import.meta.url));
// The bundle is out/electron/main.js: the app's root is two folders up (app.asar when packaged).
const appRoot = path.join(here, '..', '..');
const rendererDir = path.join(here, '..', 'renderer');
const replayEngineDir = path.join(here, '..', 'replay');
const preloadFile = path.join(here, 'preload.cjs');

function log(what: string, detail: string): void {
  console.warn(`[custos] blocked ${what}: ${detail}`);
}

/** One app per user: a second start focuses the first window instead. */
function setupSingleInstance(): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  return true;
}

/** The app's name and data folder, so the CLI finds the same store (`~/.config/Custos/store`). */
function setupAppPaths(): void {
  app.setName('Custos');
  app.setPath('userData', path.join(app.getPath('appData'), 'Custos'));
}

/**
 * better-sqlite3 compiled for this Electron (electron/main/sqlite-native.ts). Without it no
 * store can open: the user is told what to run, and the app stops before anything is written.
 */
function setupSqlite(): boolean {
  const choice = chooseSqliteBinding({
    versions: process.versions,
    platform: process.platform,
    arch: process.arch,
    appRoot,
    packaged: app.isPackaged,
    exists: fs.existsSync,
  });
  if (choice.kind === 'electron') loadSqliteBindingFrom(choice.file);
  if (choice.kind !== 'missing') return true;
  console.error(`[custos] ${choice.message}`);
  dialog.showErrorBox('Custos cannot open its evidence store', choice.message);
  app.exit(3);
  return false;
}

/**
 * Every web contents, now or later: no pop-ups, no `<webview>`; the default session (the app's
 * page, its replays) denies all permissions and never reaches the network.
 */
function setupSecurityDefaults(): void {
  app.on('web-contents-created', (_event, contents) => denyWindowsAndWebviews(contents, log));
  denySessionPermissions(session.defaultSession, log, APP_ORIGIN); // the app page may write the clipboard (Copy)
  keepSessionOffline(session.defaultSession, log);
}

/** The renderer's files on the app's own scheme. */
function setupAppFiles(): void {
  serveAppFiles(session.defaultSession, rendererDir, (line) => console.warn(`[custos] ${line}`));
}

/**
 * Captured pages replayed from their WARCs on the replay scheme, in the window's session; what
 * earlier replays left in it is forgotten first.
 */
async function setupReplays(service: ApiService): Promise<void> {
  await forgetReplays(session.defaultSession);
  serveReplays(session.defaultSession, service);
}

/** The store, opened once in the main process behind the API service; reports print and pages are captured with Electron's own Chromium. */
function setupStore(live: LiveViewSource): ApiService {
  return createApiService({
    storeDir: resolveStoreDir(undefined),
    exportDir: path.join(app.getPath('documents') || os.homedir(), 'Custos exports'),
    printer: new ElectronPdfPrinter(),
    browser: electronBrowserProvider,
    live,
    keyProtector: safeStorageProtector,
    replay: { base: REPLAY_BASE.href, engineDir: replayEngineDir, appOrigin: APP_ORIGIN },
  });
}

/** Every API method on IPC, answering the app window only. */
function setupIpc(service: ApiService, trusted: TrustedSenders): () => void {
  return registerApiIpc(ipcMain, service, trusted);
}

function setupMenu(onShortcut: (id: CaptureShortcut) => void): void {
  Menu.setApplicationMenu(buildAppMenu(app.isPackaged, onShortcut));
}

/** The live capture browser of the capture screen, and its methods on IPC for the app window only. */
function setupLiveView(window: BrowserWindow, trusted: TrustedSenders): LiveCaptureController {
  const controller = new LiveCaptureController(window);
  const unregister = registerShellIpc(
    ipcMain,
    { ...controller.handlers, chooseSavePath: (input) => chooseSavePath(window, input) },
    trusted,
  );
  window.on('closed', () => {
    unregister();
    void controller.close();
  });
  return controller;
}

function setupWindow(trusted: TrustedSenders): BrowserWindow {
  const window = createMainWindow(preloadFile, log, windowIconPath(appRoot, process.platform));
  trusted.add(window.webContents);
  return window;
}

/** On quit: stop answering, cancel running calls, release the store. */
function setupShutdown(service: ApiService, unregisterIpc: () => void): void {
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => {
    unregisterIpc();
    service.close();
  });
}

async function onReady(): Promise<void> {
  if (!setupSqlite()) return;
  setupSecurityDefaults();
  setupAppFiles();
  // The API reaches the live view once the window (its host) exists.
  let live: LiveCaptureController | null = null;
  const service = setupStore({
    current: () => live?.current() ?? null,
    openVideoEncoder: async () => {
      if (!live) throw new Error('the live browser is not open: open it in the capture bar first');
      return live.openVideoEncoder();
    },
  });
  await setupReplays(service);
  const trusted = new TrustedSenders(APP_BASE);
  const unregisterIpc = setupIpc(service, trusted);
  setupMenu((id) => live?.shortcut(id));
  live = setupLiveView(setupWindow(trusted), trusted);
  setupShutdown(service, unregisterIpc);
}

registerAppSchemes();
if (setupSingleInstance()) {
  setupAppPaths();
  void app.whenReady().then(onReady);
}
