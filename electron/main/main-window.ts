import { BrowserWindow } from 'electron';
import { APP_BASE, APP_ENTRY } from './app-address.js';
import type { BlockedLog } from './session-guards.js';

/** Whether an address is one of the app's own pages. */
function isAppAddress(address: string): boolean {
  if (!URL.canParse(address)) return false;
  const url = new URL(address);
  return url.protocol === APP_BASE.protocol && url.host === APP_BASE.host;
}

/** Opens the app window on the app's page (with `icon` where the platform shows one); it can never navigate anywhere else. */
export function createMainWindow(preload: string, log: BlockedLog, icon: string | undefined): BrowserWindow {
  const window = new BrowserWindow({
    ...(icon ? { icon } : {}),
    width: 1400,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    title: 'Custos',
    show: false,
    // The hardened settings (docs/ARCHITECTURE.md, "The desktop shell"), written out here so that static checks
    // such as Electronegativity can see them.
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      disableBlinkFeatures: 'Auxclick',
      safeDialogs: true,
      spellcheck: false,
    },
  });
  const contents = window.webContents;
  const guard = (event: Electron.Event, url: string) => {
    if (isAppAddress(url)) return;
    event.preventDefault();
    log('navigation', `the app window tried to leave for ${url}`);
  };
  contents.on('will-navigate', guard);
  contents.on('will-redirect', guard);
  window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_ENTRY.href);
  return window;
}
