import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type SweptFolder, sweepDeadFolders } from './store/store-temp.js';

/**
 * Work folders of work that has no store to hold them: `verify` of an age-sealed bundle decrypts
 * it (verify needs no store), the report printer's throw-away Chromium profile (a printer is given
 * only the HTML and PDF paths), and the live view's spool (the app's live browser records before
 * any write opens the store).
 */
export type SystemTempKind = 'unsealed' | 'pdf-profile' | 'live';

const SYSTEM_TEMP_FOLDER = /^custos-(unsealed|pdf-profile|live)-(\d+)-/;

/**
 * Makes a folder in the system's temporary folder named `custos-KIND-PID-XXXXXX` (0700): named
 * after the process that uses it, so that the next writer of any store removes it once that
 * process is gone (a kill -9 or a power cut leaves no decrypted bundle or spool behind for long).
 */
export function makeSystemTempDir(kind: SystemTempKind): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `custos-${kind}-${process.pid}-`));
}

/** Removes the system temporary folders of Custos processes that are gone; returns what it removed. */
export function sweepSystemTemp(dir: string = os.tmpdir()): SweptFolder[] {
  return sweepDeadFolders(dir, SYSTEM_TEMP_FOLDER, (name) => path.join(dir, name));
}
