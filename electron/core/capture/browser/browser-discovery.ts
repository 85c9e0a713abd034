import fs from 'node:fs';
import path from 'node:path';
import { operationFailure } from '../../errors.js';

/**
 * The switches every Chromium that Custos starts runs with (capture, report printing, the UI
 * tests): no sandbox (it runs unprivileged in containers where the sandbox cannot start), no GPU,
 * and nothing that talks to the network on its own.
 */
export const OFFLINE_CHROMIUM_SWITCHES = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
] as const;

/** Where Chromium or Chrome is usually installed, by platform, in order of preference. */
const KNOWN_PATHS: Readonly<Partial<Record<NodeJS.Platform, readonly string[]>>> = {
  linux: [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/lib/chromium/chromium',
    '/snap/bin/chromium',
    '/usr/bin/google-chrome-stable',
    '/usr/bin/google-chrome',
    '/opt/google/chrome/chrome',
  ],
  darwin: [
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  ],
  win32: [
    'C:\\Program Files\\Chromium\\Application\\chrome.exe',
    'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
    'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
  ],
};

/**
 * The browser the capture engine drives: `CUSTOS_CHROMIUM` when set, else the first Chromium or
 * Chrome found at the usual places. Never downloads one: a workstation may have no network, and
 * an evidence tool must run a browser its operator chose.
 */
export function findChromium(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  const chosen = env.CUSTOS_CHROMIUM;
  if (chosen) {
    if (!isExecutableFile(chosen)) {
      throw operationFailure(
        `CUSTOS_CHROMIUM is ${chosen}, which is not an executable file; point it at a Chromium or Chrome binary`,
      );
    }
    return path.resolve(chosen);
  }
  const localAppData = env.LOCALAPPDATA;
  const candidates = [
    ...(KNOWN_PATHS[platform] ?? []),
    ...(platform === 'win32' && localAppData
      ? [path.join(localAppData, 'Chromium', 'Application', 'chrome.exe')]
      : []),
  ];
  const found = candidates.find(isExecutableFile);
  if (found) return found;
  throw operationFailure(
    `no Chromium or Chrome found (looked at ${candidates.join(', ') || 'no known place on this platform'}); install Chromium (on Debian: apt install chromium) or set CUSTOS_CHROMIUM to its path`,
  );
}

function isExecutableFile(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Switches added to the capture browser from `CUSTOS_CHROMIUM_ARGS` (space-separated), e.g. an
 * agency proxy (`--proxy-server=…`) or a test server's key (`--ignore-certificate-errors-spki-list=…`).
 * They are listed in every capture record.
 */
export function extraChromiumArgs(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.CUSTOS_CHROMIUM_ARGS ?? '').split(/\s+/).filter((arg) => arg !== '');
}
