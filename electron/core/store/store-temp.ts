import fs from 'node:fs';
import path from 'node:path';
import { processAlive } from '../process-alive.js';
import type { StoreLayout } from './store-layout.js';

/** What a temporary folder is for: an export's staging, a capture's files, a video being recorded. */
export type StoreTempKind = 'export' | 'capture' | 'video' | 'pull';

const TEMP_FOLDER = /^(export|capture|video|pull)-(\d+)-/;

/**
 * Makes a temporary folder inside the store (`tmp/KIND-PID-XXXXXX`, 0700): on the store's own disk
 * (a large capture never fills the system's temp folder), owner-only like the rest of the store,
 * and named after the process that uses it, so that a later writer can sweep the folders of
 * processes that died (kill -9, a power cut) while never touching a live one.
 */
export function makeStoreTempDir(layout: StoreLayout, kind: StoreTempKind): string {
  fs.mkdirSync(layout.temp, { recursive: true, mode: 0o700 });
  return fs.mkdtempSync(path.join(layout.temp, `${kind}-${process.pid}-`));
}

/** A folder swept, and the bytes it held. */
export interface SweptFolder {
  readonly name: string;
  readonly bytes: number;
}

/** Removes the temporary folders of processes that are gone; returns what it removed. */
export function sweepStoreTemp(layout: StoreLayout): SweptFolder[] {
  return sweepDeadFolders(layout.temp, TEMP_FOLDER, (name) => `tmp/${name}`);
}

/**
 * Removes the folders in `dir` whose name matches `pattern` with the owning process's id as its
 * second group, where that process is gone; `shown` is how each is named in the sweep record.
 */
export function sweepDeadFolders(
  dir: string,
  pattern: RegExp,
  shown: (name: string) => string,
): SweptFolder[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const swept: SweptFolder[] = [];
  for (const name of names) {
    const match = pattern.exec(name);
    if (!match || processAlive(Number(match[2]))) continue;
    const folder = path.join(dir, name);
    try {
      const bytes = bytesUnder(folder);
      fs.rmSync(folder, { recursive: true, force: true });
      swept.push({ name: shown(name), bytes });
    } catch {
      // Another user's folder, or removed meanwhile: not ours to report.
    }
  }
  return swept;
}

/** The bytes of the files under a folder (what a sweep frees). */
function bytesUnder(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[]) {
    if (!entry.isFile()) continue;
    try {
      total += fs.statSync(path.join(entry.parentPath, entry.name)).size;
    } catch {
      // gone meanwhile
    }
  }
  return total;
}
