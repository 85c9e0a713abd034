/**
 * The export's file on its way into place (export-file.ts): its fsync begun early, while the report
 * still prints, must not let a failed write-back pass unseen. Real files; the failing fsync is a
 * stand-in (a disk's EIO cannot be caused otherwise), the second fsync a real one.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ExportFile } from '../../../electron/core/bundle/export-file.js';
import { fileSyncFailingOnce } from '../../support/failing-fsync.js';

describe('an export file flushed ahead of its end', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-export-file-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('an early fsync that failed fails the final sync, though the final fsync itself succeeds', async () => {
    const target = new ExportFile(path.join(dir, 'case.zip'), fileSyncFailingOnce());
    fs.writeFileSync(target.partial, 'the evidence, written before the report is printed');
    target.flushAhead();
    fs.appendFileSync(target.partial, 'the report, written after');
    // Linux reports a lost write-back to one fsync only: the second could succeed over lost pages.
    await expect(target.sync()).rejects.toMatchObject({ code: 'EIO' });
  });

  test('a failed early fsync still lets the export discard its file, leaving nothing', async () => {
    const target = new ExportFile(path.join(dir, 'case.zip'), fileSyncFailingOnce());
    fs.writeFileSync(target.partial, 'the evidence');
    target.flushAhead();
    await target.discard();
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
