import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCustos } from '../support/run-custos.js';
import { mountSmallDisk, type SmallDisk } from '../support/small-disk.js';
import { makeTempStore, type TempStore } from '../support/temp-store.js';
import { storeState } from './store-state.js';

describe('export onto a disk that fills', { timeout: 240_000 }, () => {
  let temp: TempStore;
  let disk: SmallDisk;

  beforeAll(async () => {
    temp = makeTempStore({ caseNumber: 'FULL-1' });
    // 3 MB of random bytes (stored, not compressible) for a 1 MB disk.
    const file = temp.writeFile('video.bin', randomBytes(3 * 1024 * 1024));
    expect((await runCustos(['import', file, '--case', 'FULL-1'], { store: temp.dir })).status).toBe(0);
    disk = mountSmallDisk(1024 * 1024);
  });
  afterAll(() => {
    disk?.unmount();
    temp?.remove();
  });

  it('exits 3 with a message naming the full folder and what to do, leaves no .partial file and writes no export entry', async () => {
    const before = storeState(temp.dir);
    const out = path.join(disk.dir, 'FULL-1.zip');
    const result = await runCustos(['export', '--case', 'FULL-1', '--out', out], { store: temp.dir });
    expect(result.status, result.stderr).toBe(3);
    expect(result.stderr).toContain(`the disk holding ${disk.dir} is full (ENOSPC)`);
    expect(result.stderr).toMatch(/Free some space there \(or choose another folder\)/);
    expect(fs.readdirSync(disk.dir)).toEqual([]);
    expect(storeState(temp.dir)).toEqual(before);
  });
});

describe('import into a store whose disk fills', { timeout: 240_000 }, () => {
  let disk: SmallDisk;
  let storeDir: string;
  let scratch: TempStore;

  beforeAll(async () => {
    disk = mountSmallDisk(3 * 1024 * 1024);
    storeDir = path.join(disk.dir, 'store');
    scratch = makeTempStore();
    expect((await runCustos(['init', '--investigator', 'Ana Ruiz'], { store: storeDir })).status).toBe(0);
    const created = await runCustos(['case', 'create', '--number', 'FULL-2', '--title', 'Full store disk'], {
      store: storeDir,
    });
    expect(created.status).toBe(0);
  });
  afterAll(() => {
    disk?.unmount();
    scratch?.remove();
  });

  it('exits 3 naming the store disk, removes the blob temporary file and commits nothing', async () => {
    const before = storeState(storeDir);
    const big = scratch.writeFile('big.bin', randomBytes(6 * 1024 * 1024));
    const result = await runCustos(['import', big, '--case', 'FULL-2'], { store: storeDir });
    expect(result.status, result.stderr).toBe(3);
    expect(result.stderr).toContain(`the disk holding ${path.join(storeDir, 'blobs')} is full (ENOSPC)`);
    expect(storeState(storeDir)).toEqual(before); // no item, no entry, no blob, no temporary file
  });
});
