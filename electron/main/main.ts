/**
 * The Electron main process. Thin by design (DESIGN.md): it opens the window and wires the shell;
 * every rule about evidence lives in electron/core and is tested on plain Node.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, session } from 'electron';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The hardened settings of every app window (DESIGN.md, "Security"). */
const secureWebPreferences: Electron.WebPreferences = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  webviewTag: false,
  preload: path.join(here, 'preload.cjs'),
};

function setupPermissions(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}

function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'Custos',
    show: false,
    webPreferences: secureWebPreferences,
  });
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.webContents.on('will-attach-webview', (event) => event.preventDefault());
  window.once('ready-to-show', () => window.show());
  void window.loadFile(path.join(here, '..', 'renderer', 'index.html'));
  return window;
}

function setupSingleInstance(): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });
  return true;
}

async function onReady(): Promise<void> {
  setupPermissions();
  createMainWindow();
}

if (setupSingleInstance()) {
  app.on('window-all-closed', () => app.quit());
  void app.whenReady().then(onReady);
}
