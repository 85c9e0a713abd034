import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { importFile } from '../../electron/core/import/import-file.js';
import { makeTempStore, type TempStore } from './temp-store.js';

/**
 * A store with one case of `files` imported files of `bytes` incompressible bytes each (enough
 * that an export's artifacts take a while to stream), and an empty `exports` folder beside it.
 */
export async function storeOfRandomFiles(
  caseNumber: string,
  files: number,
  bytes: number,
): Promise<{ temp: TempStore; outDir: string }> {
  const temp = makeTempStore({ caseNumber });
  const store = temp.open();
  try {
    for (let i = 0; i < files; i++)
      await importFile(store, caseNumber, temp.writeFile(`phone-dump-${i}.bin`, randomBytes(bytes)));
  } finally {
    store.close();
  }
  const outDir = path.join(temp.base, 'exports');
  fs.mkdirSync(outDir);
  return { temp, outDir };
}
