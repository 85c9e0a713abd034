import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { verifyTargetOf } from '../../../electron/core/wacz/verify-target.js';
import { writeRawZip } from '../../support/raw-zip.js';
import { makeTempDir } from '../../support/temp-store.js';

const dir = makeTempDir('custos-verify-target-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/**
 * `custos verify FILE.zip` checks a ZIP as a WACZ or as a Custos bundle by the names it holds; it
 * must read them as the check itself does (a Unicode-path field wins over the header's CP437
 * name), or a bundle would be checked as a WACZ, against rules it was never made to meet.
 */
describe('verify tells a bundle from a WACZ by the names the check reads', () => {
  test('a ZIP whose manifest.json is named only by its Unicode-path field is checked as a bundle', async () => {
    const file = path.join(dir, 'bundle.zip');
    writeRawZip(file, [
      { raw: 'MANIFEST.OLD', unicodePath: 'manifest.json', data: Buffer.from('{}') },
      { raw: 'datapackage.json', data: Buffer.from('{}') },
    ]);
    const { wacz, directory } = await verifyTargetOf(file);
    directory?.zip.close();
    expect(directory?.entries).toHaveLength(2);
    expect(wacz).toBe(false);
  });

  test('the same ZIP without the Unicode-path field holds no manifest.json and is checked as a WACZ', async () => {
    const file = path.join(dir, 'wacz.zip');
    writeRawZip(file, [
      { raw: 'MANIFEST.OLD', data: Buffer.from('{}') },
      { raw: 'datapackage.json', data: Buffer.from('{}') },
    ]);
    const { wacz, directory } = await verifyTargetOf(file);
    directory?.zip.close();
    expect(wacz).toBe(true);
  });
});
