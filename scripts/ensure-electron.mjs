#!/usr/bin/env node
// Makes sure the Electron binary is present before the desktop app starts or is packaged.
// `npm ci` does not download it (package.json's allowScripts denies electron's postinstall), so
// that installing, testing and the CLI never need the internet; the first `npm start` fetches it.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

function electronPath() {
  try {
    return require('electron');
  } catch {
    return null;
  }
}

if (process.env.ELECTRON_OVERRIDE_DIST_PATH || electronPath()) process.exit(0);
console.error('Downloading the Electron binary (needed once, for the desktop app only)…');
const installer = path.join(path.dirname(require.resolve('electron/package.json')), 'install.js');
const result = spawnSync(process.execPath, [installer], { stdio: 'inherit' });
if (result.status !== 0 || !electronPath()) {
  console.error(
    'Could not download Electron. On a machine without internet access, copy an Electron build into a folder and set ELECTRON_OVERRIDE_DIST_PATH to it; the CLI (npx custos) works without it.',
  );
  process.exit(3);
}
