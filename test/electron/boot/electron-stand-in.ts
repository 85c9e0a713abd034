/**
 * The `electron` module as the boot test installs it (electron-hooks.mjs resolves `electron` here),
 * because the Electron binary cannot run on the development machines: the stand-in objects of
 * test/electron/fake-electron.ts, one set per process, exported under Electron's own names.
 */
import os from 'node:os';
import { FakeElectron } from '../fake-electron.js';

/** This process's stand-in; the boot script reads back what the shell asked of it. */
export const fake = new FakeElectron(process.env.CUSTOS_BOOT_HOME ?? os.tmpdir());

export const { app, BrowserWindow, dialog, ipcMain, Menu, protocol, safeStorage, session, WebContentsView } =
  fake.module();
