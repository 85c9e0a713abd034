/**
 * Lays out the replay engine the app serves on its replay origin (electron/core/replay): the frame
 * page and its bundled script from renderer/replay-frame, and wabac.js's service worker with its
 * licence, copied as published (the engine is never changed). `npm run build` writes `out/replay`;
 * the browser harness writes a folder of its own.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import {
  REPLAY_FRAME_PAGE,
  REPLAY_FRAME_SCRIPT,
  REPLAY_SERVICE_WORKER,
} from '../electron/core/replay/replay-engine-files.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const frameSources = path.join(repoRoot, 'renderer', 'replay-frame');

/** The folder of the installed wabac.js build (its package exports only its library). */
function wabacDist(): string {
  return path.dirname(fileURLToPath(import.meta.resolve('@webrecorder/wabac')));
}

/** Writes the replay engine's files into `outDir` (made if missing); returns `outDir`. */
export async function buildReplayEngine(outDir: string): Promise<string> {
  fs.mkdirSync(outDir, { recursive: true });
  fs.copyFileSync(path.join(frameSources, 'index.html'), path.join(outDir, REPLAY_FRAME_PAGE.file));
  await build({
    entryPoints: [path.join(frameSources, 'replay-frame.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    outfile: path.join(outDir, REPLAY_FRAME_SCRIPT.file),
    logLevel: 'warning',
  });
  const dist = wabacDist();
  fs.copyFileSync(path.join(dist, 'sw.js'), path.join(outDir, REPLAY_SERVICE_WORKER.file));
  // wabac.js is AGPL-3.0-or-later: its licence travels with the copy the app ships.
  fs.copyFileSync(path.join(dist, '..', 'LICENSE.md'), path.join(outDir, 'LICENSE-wabac.md'));
  return outDir;
}
