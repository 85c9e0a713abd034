import { spawnSync } from 'node:child_process';
import { createHash, randomBytes, randomInt } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMPORT_GROUP_ITEMS } from '../../electron/core/import/import-files.js';
import { storeLayout } from '../../electron/core/store/store-layout.js';
import type { AuditReport } from '../../shared/domain.js';
import { REPO_ROOT, runCustosJson, spawnCustos, waitForCustos } from '../support/run-custos.js';
import { makeTempStore, type TempStore } from '../support/temp-store.js';
import { blobFile, CLI_TEST_TIMEOUT_MS, type ItemsJson } from './cli-fixtures.js';

const ROUNDS = 5;
/** Small files per round: more than fit in one group, so that a kill can land in any group. */
const SMALL_FILES = IMPORT_GROUP_ITEMS + 200;
/** A few larger files among them, so that a kill also lands while a blob is half copied. */
const LARGE_FILES = 3;
const LARGE_SIZE = 3 * 1024 * 1024;

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/** Writes a round's files (each with distinct content) and returns their paths and SHA-256s in order. */
function writeRoundFiles(temp: TempStore, round: number): { files: string[]; hashes: string[] } {
  const dir = path.join(temp.base, `round-${round}`);
  fs.mkdirSync(dir);
  const files: string[] = [];
  const hashes: string[] = [];
  for (let i = 0; i < SMALL_FILES + LARGE_FILES; i++) {
    // The large files sit early, middle and late in the order given.
    const large = i % Math.floor((SMALL_FILES + LARGE_FILES) / LARGE_FILES) === 1;
    const content = randomBytes(large ? LARGE_SIZE : 4096);
    const file = path.join(dir, `r${round}-${String(i).padStart(5, '0')}.bin`);
    fs.writeFileSync(file, content);
    files.push(file);
    hashes.push(sha256(content));
  }
  return { files, hashes };
}

/**
 * Starts `custos import` of the files and SIGKILLs it once its open group holds a random number of
 * unsynced blobs (temporary files in the blob folder), after a random jitter: the kill lands while
 * files are being staged, while a group's blobs are fsynced and renamed in, or while it commits.
 */
async function importAndKillMidGroup(
  storeDir: string,
  files: readonly string[],
): Promise<{ killedAtTemporaryFiles: number; exitedBeforeKill: boolean }> {
  const blobTemp = storeLayout(storeDir).blobTemp;
  // Groups also close by age, so under load they may hold a few hundred files: stay below that.
  const threshold = 1 + randomInt(250);
  const jitterMs = randomInt(30);
  const child = spawnCustos(['import', ...files, '--case', 'BE-1'], { store: storeDir });
  let seen = 0;
  const poll = setInterval(() => {
    try {
      seen = fs.readdirSync(blobTemp).length;
    } catch {
      return; // no temporary folder yet
    }
    if (seen >= threshold) {
      clearInterval(poll);
      setTimeout(() => child.kill('SIGKILL'), jitterMs);
    }
  }, 2);
  const result = await waitForCustos(child, { timeoutMs: 240_000 });
  clearInterval(poll);
  return { killedAtTemporaryFiles: seen, exitedBeforeKill: result.signal !== 'SIGKILL' };
}

/** Every file under a blob's name in the store, with the SHA-256 of its content. */
function blobFilesOnDisk(storeDir: string): { name: string; contentHash: string }[] {
  const root = storeLayout(storeDir).blobs;
  const found: { name: string; contentHash: string }[] = [];
  for (const first of fs.readdirSync(root).filter((n) => /^[0-9a-f]{2}$/.test(n))) {
    for (const second of fs.readdirSync(path.join(root, first))) {
      for (const name of fs.readdirSync(path.join(root, first, second))) {
        found.push({ name, contentHash: sha256(fs.readFileSync(path.join(root, first, second, name))) });
      }
    }
  }
  return found;
}

describe('crash safety of grouped imports', () => {
  let temp: TempStore;

  beforeAll(() => {
    temp = makeTempStore({ caseNumber: 'BE-1' });
  });
  afterAll(() => temp.remove(), 300_000); // thousands of blobs, each in its own folder

  it(
    `an import killed with SIGKILL in the middle of a group, ${ROUNDS} rounds, leaves only whole items, every blob whole under its name, and a clean audit`,
    async () => {
      const committedHashes = new Set<string>();
      let killedMidImport = 0;
      for (let round = 1; round <= ROUNDS; round++) {
        const { files, hashes } = writeRoundFiles(temp, round);
        const kill = await importAndKillMidGroup(temp.dir, files);
        const context = `round ${round}, killed with ${kill.killedAtTemporaryFiles} unsynced blobs in the open group`;

        const [audit, listed] = await Promise.all([
          runCustosJson<AuditReport>(['audit'], { store: temp.dir }),
          runCustosJson<ItemsJson>(['items', '--case', 'BE-1'], { store: temp.dir }),
        ]);
        expect(audit.status, `${context}: ${JSON.stringify(audit.json.problems)}`).toBe(0);
        expect(audit.json.clean, context).toBe(true);

        // Every item is whole: its one blob is there, of its size, hashing to its record.
        for (const item of listed.json.items) {
          expect(item.artifacts, `${context}: item ${item.id}`).toHaveLength(1);
          const artifact = item.artifacts[0]!;
          const blob = blobFile(temp.dir, artifact.sha256);
          expect(fs.existsSync(blob), `${context}: blob of item ${item.id}`).toBe(true);
          expect(fs.statSync(blob).size, `${context}: size of item ${item.id}`).toBe(artifact.size);
        }
        // No name in the blob folder holds anything but the whole content it names, referenced or not.
        for (const blob of blobFilesOnDisk(temp.dir)) expect(blob.contentHash, context).toBe(blob.name);

        // Groups commit in the order of the files: what this round added is the files before some point.
        const added = listed.json.items
          .map((item) => item.artifacts[0]!.sha256)
          .filter((hash) => !committedHashes.has(hash));
        const addedSet = new Set(added);
        expect(added.length, context).toBe(addedSet.size);
        expect(new Set(hashes.slice(0, added.length)), context).toEqual(addedSet);
        if (kill.exitedBeforeKill) expect(added.length, context).toBe(files.length);
        else if (added.length < files.length) killedMidImport++;
        for (const hash of added) committedHashes.add(hash);
        expect(audit.json.counts.items, context).toBe(listed.json.items.length);
      }

      // The kills did land inside imports (not only after them), or this test proved nothing.
      expect(killedMidImport).toBeGreaterThan(0);

      // The next writer sweeps the killed imports' temporary files and imports normally.
      const after = await runCustosJson<ItemsJson>(
        ['import', temp.writeFile('after.txt', 'after the crashes\n'), '--case', 'BE-1'],
        { store: temp.dir },
      );
      expect(after.status, after.stderr).toBe(0);
      expect(after.json.items).toHaveLength(1);
      expect(fs.readdirSync(storeLayout(temp.dir).blobTemp)).toEqual([]);
    },
    CLI_TEST_TIMEOUT_MS * 2,
  );

  it(
    "an import killed after a group's blobs are renamed into place and before its commit leaves no item of the group, only whole blobs that audit reports as notices, and importing the files again uses those blobs",
    async () => {
      const caseNumber = 'BE-2';
      const created = await runCustosJson<{ id: string }>(
        ['case', 'create', '--number', caseNumber, '--title', 'Killed before commit'],
        { store: temp.dir },
      );
      expect(created.status, created.stderr).toBe(0);
      const dir = path.join(temp.base, 'before-commit');
      fs.mkdirSync(dir);
      const hashes: string[] = [];
      const files = Array.from({ length: 300 }, (_, i) => {
        const content = randomBytes(4096);
        hashes.push(sha256(content));
        const file = path.join(dir, `p-${String(i).padStart(3, '0')}.bin`);
        fs.writeFileSync(file, content);
        return file;
      });

      const script = path.join(REPO_ROOT, 'test', 'support', 'persist-then-die.ts');
      const child = spawnSync(process.execPath, ['--import', 'tsx', script, temp.dir, caseNumber, ...files], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
      });
      expect(child.signal, child.stderr).toBe('SIGKILL');
      expect(child.stdout).toBe('persisted\n');

      const [audit, listed] = await Promise.all([
        runCustosJson<AuditReport>(['audit'], { store: temp.dir }),
        runCustosJson<ItemsJson>(['items', '--case', caseNumber], { store: temp.dir }),
      ]);
      expect(listed.json.items).toEqual([]);
      expect(audit.status, JSON.stringify(audit.json.problems)).toBe(0);
      expect(audit.json.clean).toBe(true);
      // Each blob the killed group made durable is whole under its name, and named as unreferenced.
      const onDisk = new Map(blobFilesOnDisk(temp.dir).map((blob) => [blob.name, blob.contentHash]));
      for (const hash of hashes) expect(onDisk.get(hash), `blob ${hash}`).toBe(hash);
      const noticed = new Set(audit.json.notices.map((notice) => notice.subject));
      for (const hash of hashes) expect(noticed.has(`blob ${hash}`), `notice for blob ${hash}`).toBe(true);

      const again = await runCustosJson<ItemsJson>(['import', ...files, '--case', caseNumber], {
        store: temp.dir,
      });
      expect(again.status, again.stderr).toBe(0);
      expect(again.json.items.map((item) => item.artifacts[0]!.sha256)).toEqual(hashes);
      const after = await runCustosJson<AuditReport>(['audit'], { store: temp.dir });
      expect(after.json.clean).toBe(true);
      expect(
        after.json.notices.filter((notice) => hashes.some((hash) => notice.subject === `blob ${hash}`)),
      ).toEqual([]);
    },
    CLI_TEST_TIMEOUT_MS * 2,
  );
});
