import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeLayout } from '../../electron/core/store/store-layout.js';
import type { AuditReport } from '../../shared/domain.js';
import { runCustos, spawnCustos, waitForCustos } from '../support/run-custos.js';
import { type SeededEvidence, seedStore } from '../support/seed-store.js';
import { makeTempStore, type TempStore } from '../support/temp-store.js';

const BIG_FILE_BYTES = 256 * 1024 * 1024;

describe('leftovers of a killed writer', { timeout: 180_000 }, () => {
  let temp: TempStore;
  let seeded: SeededEvidence;

  beforeAll(async () => {
    temp = makeTempStore({ caseNumber: 'SW-1' });
    seeded = await seedStore(temp, { files: 1 });
  });
  afterAll(() => temp.remove());

  it('an import killed with SIGKILL mid-file leaves a temporary file that the next writer sweeps, and audit says what was swept', async () => {
    const big = path.join(temp.base, 'big.bin');
    const handle = fs.openSync(big, 'w');
    const chunk = Buffer.alloc(8 * 1024 * 1024);
    for (let written = 0; written < BIG_FILE_BYTES; written += chunk.length) {
      chunk.writeUInt32LE(written, 0); // distinct content, so no blob already holds it
      fs.writeSync(handle, chunk);
    }
    fs.closeSync(handle);

    const tempDir = storeLayout(temp.dir).blobTemp;
    const child = spawnCustos(['import', big, '--case', 'SW-1'], { store: temp.dir });
    const leftovers = () =>
      fs.existsSync(tempDir) ? fs.readdirSync(tempDir).filter((n) => n.endsWith('.tmp')) : [];
    // Wait until the import is writing its temporary file, then kill it as a power cut would.
    while (leftovers().length === 0 && child.exitCode === null) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    const killed = await waitForCustos(child);
    expect(killed.signal, 'the import finished before it could be killed').toBe('SIGKILL');
    expect(leftovers().length).toBe(1);

    expect(
      (await runCustos(['note', seeded.items[0]?.id ?? '', 'next writer'], { store: temp.dir })).status,
    ).toBe(0);
    expect(leftovers()).toEqual([]);
    const audit = await runCustos(['audit'], { store: temp.dir, json: true });
    expect(audit.status).toBe(0);
    expect((JSON.parse(audit.stdout) as AuditReport).notices).toContainEqual({
      subject: 'temporary files',
      problem: expect.stringMatching(/^1 file\(s\), \d+ bytes, left by interrupted writes were swept at /),
    });
  });
});
