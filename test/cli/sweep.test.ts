import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
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

  /** The store's temporary folders of this kind (`tmp/KIND-PID-XXXXXX`). */
  const tempFolders = (kind: string) => {
    const dir = storeLayout(temp.dir).temp;
    return fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.startsWith(`${kind}-`)) : [];
  };

  /** Polls until `ready()` or the child ends (then the test fails on the signal check). */
  async function until(ready: () => boolean, child: { exitCode: number | null }): Promise<void> {
    while (!ready() && child.exitCode === null) await new Promise((r) => setTimeout(r, 20));
  }

  async function auditNotice(): Promise<string> {
    const audit = await runCustos(['audit'], { store: temp.dir, json: true });
    expect(audit.status, audit.stderr).toBe(0);
    const notice = (JSON.parse(audit.stdout) as AuditReport).notices.find(
      (n) => n.subject === 'temporary files',
    );
    return notice?.problem ?? '';
  }

  it('an export killed with SIGKILL while writing leaves its staging folder in the store and its .partial file beside the bundle; the next writer sweeps the folder, the next export the .partial, and audit names both', async () => {
    const big = temp.writeFile('video.bin', Buffer.alloc(0));
    const handle = fs.openSync(big, 'w');
    const chunk = Buffer.alloc(8 * 1024 * 1024);
    for (let written = 0; written < 192 * 1024 * 1024; written += chunk.length) {
      chunk.writeUInt32LE(written + 1, 0);
      fs.writeSync(handle, chunk);
    }
    fs.closeSync(handle);
    expect((await runCustos(['import', big, '--case', 'SW-1'], { store: temp.dir })).status).toBe(0);

    const outDir = path.join(temp.base, 'out');
    fs.mkdirSync(outDir);
    const partials = () => fs.readdirSync(outDir).filter((n) => n.endsWith('.partial'));
    const child = spawnCustos(['export', '--case', 'SW-1', '--out', path.join(outDir, 'SW-1.zip')], {
      store: temp.dir,
    });
    await until(() => partials().length > 0, child);
    child.kill('SIGKILL');
    expect((await waitForCustos(child)).signal, 'the export finished before it could be killed').toBe(
      'SIGKILL',
    );
    const [staging] = tempFolders('export');
    const [partial] = partials();
    expect(staging).toMatch(/^export-\d+-/);
    expect(partial).toMatch(/^\.SW-1\.zip\.\d+\.partial$/);

    expect(
      (await runCustos(['note', seeded.items[0]?.id ?? '', 'after the export died'], { store: temp.dir }))
        .status,
    ).toBe(0);
    expect(tempFolders('export')).toEqual([]);
    expect(await auditNotice()).toContain(`tmp/${staging}`);

    const again = await runCustos(['export', '--case', 'SW-1', '--out', path.join(outDir, 'other.zip')], {
      store: temp.dir,
    });
    expect(again.status, again.stderr).toBe(0);
    expect(partials()).toEqual([]);
    expect(tempFolders('export')).toEqual([]); // the export's own staging is gone too
    expect(await auditNotice()).toContain(path.join(outDir, partial ?? ''));
  });

  it('a capture killed with SIGKILL leaves its folder in the store, not the system temp folder; the next writer sweeps it and audit names it', async () => {
    // A page that never answers: the capture waits on it with its folder made.
    const server = http.createServer(() => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const child = spawnCustos(['capture', `http://127.0.0.1:${port}/ad`, '--case', 'SW-1'], {
        store: temp.dir,
      });
      await until(() => tempFolders('capture').length > 0, child);
      child.kill('SIGKILL');
      expect((await waitForCustos(child)).signal, 'the capture ended before it could be killed').toBe(
        'SIGKILL',
      );
      const [folder] = tempFolders('capture');
      expect(folder).toMatch(/^capture-\d+-/);

      expect(
        (await runCustos(['note', seeded.items[0]?.id ?? '', 'after the capture died'], { store: temp.dir }))
          .status,
      ).toBe(0);
      expect(tempFolders('capture')).toEqual([]);
      expect(await auditNotice()).toContain(`tmp/${folder}`);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('a decrypted bundle, print profile or live spool in the system temp folder of a process that died is swept by the next writer, and audit names it; a live process keeps its own', async () => {
    const systemTemp = path.join(temp.base, 'system-tmp');
    fs.mkdirSync(systemTemp, { recursive: true });
    const dead = spawnSync(process.execPath, ['-e', '0']).pid; // a process that has ended
    const deadFolder = path.join(systemTemp, `custos-unsealed-${dead}-Ab12Cd`);
    fs.mkdirSync(deadFolder);
    fs.writeFileSync(path.join(deadFolder, 'bundle.zip'), Buffer.alloc(4096, 1));
    const liveFolder = path.join(systemTemp, `custos-live-${process.pid}-Ef34Gh`);
    fs.mkdirSync(liveFolder);
    const otherFolder = path.join(systemTemp, `someone-else-${dead}-x`);
    fs.mkdirSync(otherFolder);

    const note = await runCustos(['note', seeded.items[0]?.id ?? '', 'after a verify died'], {
      store: temp.dir,
      env: { TMPDIR: systemTemp },
    });
    expect(note.status).toBe(0);
    expect(fs.existsSync(deadFolder)).toBe(false);
    expect(fs.existsSync(liveFolder)).toBe(true);
    expect(fs.existsSync(otherFolder)).toBe(true);
    expect(await auditNotice()).toContain(deadFolder);
  });
});
