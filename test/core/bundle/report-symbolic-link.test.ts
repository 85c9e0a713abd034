/**
 * The report of an import whose path given was a symbolic link: it shows the path given
 * (originalPath), so it says that path was a link and whose bytes were preserved.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportBundle } from '../../../electron/core/bundle/export-bundle.js';
import { importFiles } from '../../../electron/core/import/import-files.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';
import { NO_PRINT, readZip } from './bundle-fixtures.js';

describe('report.html of an imported symbolic link', () => {
  let temp: TempStore;
  let html: string;
  let real: string;
  beforeAll(async () => {
    temp = makeTempStore({ caseNumber: 'LNK-1' });
    real = temp.writeFile('phone/real/chat-export.txt', 'the real file\n');
    const link = path.join(temp.base, 'phone', 'shortcut.txt');
    fs.symlinkSync('real/chat-export.txt', link);
    const store = temp.open();
    try {
      const outcome = await importFiles(store, 'LNK-1', [link], {});
      expect(outcome.failures).toEqual([]);
      const out = path.join(temp.base, 'lnk.zip');
      await exportBundle(store, { caseRef: 'LNK-1', out, printer: NO_PRINT });
      html = (await readZip(out)).get('report.html')!.toString('utf8');
    } finally {
      store.close();
    }
  }, 60_000);
  afterAll(() => temp?.remove());

  it('says the path given was a symbolic link, to what, and that the bytes preserved are those of the file it led to', () => {
    expect(html).toContain('shortcut.txt');
    expect(html).toContain(
      `the path given (originalPath) is a symbolic link to <code dir="auto">real/chat-export.txt</code>; the bytes preserved are those of the file it led to, <code dir="auto">${fs.realpathSync(real)}</code>`,
    );
  });
});
