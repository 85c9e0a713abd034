import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { EvidenceStore } from '../../../electron/core/store/evidence-store.js';
import { restoreStore } from '../../../electron/core/store/restore-store.js';
import { generateSigningKey } from '../../../electron/core/store/signing-key.js';
import { storeLayout } from '../../../electron/core/store/store-layout.js';
import { appendForeignEntries, ledgerOf } from '../../support/forged-ledger.js';
import { openRawDatabase } from '../../support/sqlite.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';

// Whatever --accept-loss says, every entry a restored backup holds must be this store's history:
// the entry at its seq in the database in place (or store.json's head). A backup shorter than
// store.json was once taken on its length alone, so a backup of a copy of the store that went its
// own way (a fork) could replace the real history. Where nothing can show it (no usable database
// in place, and store.json records only its head), the restore says so and records it.

let temp: TempStore | undefined;
afterEach(() => temp?.remove());

/**
 * A store of 5 entries (init, case F-1, cases A, B, C) and the database of a copy of it taken at 2
 * entries that went its own way with one case of its own: 3 entries, its third not the store's.
 * Also a true backup taken at 3 entries (case A), a prefix of the store's history.
 */
function storeAndFork(): { dir: string; database: string; forkBackup: string; trueBackup: string } {
  temp = makeTempStore({ caseNumber: 'F-1' });
  const forkDir = path.join(temp.base, 'fork');
  fs.cpSync(temp.dir, forkDir, { recursive: true });
  const fork = EvidenceStore.openForWriting(forkDir);
  fork.createCase({ number: 'X', title: 'only in the fork' });
  fork.close();
  let store = temp.open();
  store.createCase({ number: 'A', title: 'in the store' });
  store.close();
  const trueDir = path.join(temp.base, 'true-backup');
  fs.cpSync(temp.dir, trueDir, { recursive: true });
  store = temp.open();
  for (const number of ['B', 'C']) store.createCase({ number, title: 'in the store' });
  store.close();
  return {
    dir: temp.dir,
    database: storeLayout(temp.dir).database,
    forkBackup: path.join(forkDir, 'custos.sqlite'),
    trueBackup: path.join(trueDir, 'custos.sqlite'),
  };
}

function spoilDatabaseInPlace(database: string): void {
  fs.writeFileSync(database, 'garbage where the database was');
  for (const suffix of ['-wal', '-shm']) fs.rmSync(`${database}${suffix}`, { force: true });
}

describe('restoring a backup shorter than store.json', () => {
  it('refuses, even with --accept-loss, a backup of another history (a fork), naming the entry that differs from the database in place, and changes nothing', async () => {
    const made = storeAndFork();
    const before = fs.readFileSync(made.database);
    const headBefore = ledgerOf(made.dir).at(-1)?.hash;
    await expect(restoreStore(made.dir, made.forkBackup, { acceptLoss: true })).rejects.toMatchObject({
      kind: 'integrity',
      message: expect.stringMatching(
        /holds another history: its entry 3 is not the one the database in place holds; nothing was restored$/,
      ),
    });
    expect(fs.readFileSync(made.database)).toEqual(before);
    expect(fs.readdirSync(path.dirname(made.database)).filter((f) => f.includes('.replaced-'))).toEqual([]);
    expect(ledgerOf(made.dir)).toHaveLength(5);
    expect(ledgerOf(made.dir).at(-1)?.hash).toBe(headBefore);
  });

  it('restores with --accept-loss a true older backup, found to be a prefix of the database in place, with nothing left unchecked', async () => {
    const made = storeAndFork();
    const kept = ledgerOf(made.dir)
      .slice(0, 3)
      .map((e) => e.hash);
    const outcome = await restoreStore(made.dir, made.trueBackup, { acceptLoss: true });
    expect(outcome).toMatchObject({ backupEntries: 3, lostEntries: 2, unchecked: null, liveNotUsed: null });
    const after = ledgerOf(made.dir);
    expect(after.slice(0, 3).map((e) => e.hash)).toEqual(kept);
    expect(after.at(-1)?.action).toBe('store.restore');
    expect(after.at(-1)?.details).not.toHaveProperty('unchecked');
  });

  it('with no usable database in place, says plainly that the backup could not be compared, and refuses without --accept-loss', async () => {
    const made = storeAndFork();
    spoilDatabaseInPlace(made.database);
    await expect(restoreStore(made.dir, made.forkBackup)).rejects.toMatchObject({
      kind: 'integrity',
      message: expect.stringMatching(
        /holds 3 of the 5 custody entries store\.json records: the 2 after entry 3 would be lost, and its 3 custody entries could not be compared with this store's history: store\.json records only its head \(entry 5\), and the database in place cannot be read .*--accept-loss/,
      ),
    });
    expect(fs.readFileSync(made.database, 'utf8')).toBe('garbage where the database was');
  });

  it('with no usable database in place and --accept-loss, restores and records in the store.restore entry what it could not check', async () => {
    const made = storeAndFork();
    spoilDatabaseInPlace(made.database);
    const outcome = await restoreStore(made.dir, made.trueBackup, { acceptLoss: true });
    expect(outcome.lostEntries).toBe(2);
    expect(outcome.unchecked).toMatch(
      /^its 3 custody entries could not be compared with this store's history: store\.json records only its head \(entry 5\), and the database in place cannot be read/,
    );
    expect(ledgerOf(made.dir).at(-1)).toMatchObject({
      action: 'store.restore',
      details: { unchecked: outcome.unchecked, lostEntries: 2 },
    });
  });
});

describe("restoring a shorter backup holding entries signed by a key that is not this workstation's", () => {
  // With no usable database in place, nothing can show the backup's entries are this store's
  // history; what is left is that every entry of a store's ledger is signed by its one workstation
  // key, the key store.json names. A key the backup lists among its investigators proves nothing.
  function spoiledStoreAndBackup(): { made: ReturnType<typeof storeAndFork>; backupDir: string } {
    const made = storeAndFork();
    spoilDatabaseInPlace(made.database);
    return { made, backupDir: path.dirname(made.trueBackup) };
  }

  it('refuses, even with --accept-loss, a backup with an investigator added and entries it signed, naming the added key, and changes nothing', async () => {
    const { made, backupDir } = spoiledStoreAndBackup();
    const forged = appendForeignEntries(backupDir, 1);
    await expect(restoreStore(made.dir, backupDir, { acceptLoss: true })).rejects.toMatchObject({
      kind: 'integrity',
      message: expect.stringMatching(
        new RegExp(
          `the backup .* holds investigators this store never had \\(Someone else, key ${forged}\\): a store has only its workstation's, so the backup was edited and cannot be used; nothing was restored$`,
        ),
      ),
    });
    expect(fs.readFileSync(made.database, 'utf8')).toBe('garbage where the database was');
    expect(fs.readdirSync(made.dir).filter((f) => f.includes('.replaced-'))).toEqual([]);
  });

  it('refuses, even with --accept-loss, a backup whose entries are signed by a key it does not list, naming the entry', async () => {
    const { made, backupDir } = spoiledStoreAndBackup();
    appendForeignEntries(backupDir, 1, { listKey: false });
    await expect(restoreStore(made.dir, backupDir, { acceptLoss: true })).rejects.toMatchObject({
      kind: 'integrity',
      message: expect.stringMatching(
        /has a custody ledger that does not verify \(ledger entry 4: .*unknown key/,
      ),
    });
    expect(fs.readFileSync(made.database, 'utf8')).toBe('garbage where the database was');
  });

  it("refuses a backup whose workstation investigator was given another key than store.json's", async () => {
    const { made, backupDir } = spoiledStoreAndBackup();
    const other = generateSigningKey();
    const db = new Database(path.join(backupDir, 'custos.sqlite'));
    db.exec('DROP TRIGGER IF EXISTS investigators_no_update');
    db.prepare('UPDATE investigators SET key_fingerprint = ?, public_key_pem = ?').run(
      other.fingerprint,
      other.publicKeyPem,
    );
    db.close();
    await expect(restoreStore(made.dir, backupDir, { acceptLoss: true })).rejects.toMatchObject({
      kind: 'integrity',
      message: expect.stringMatching(
        new RegExp(
          `names as its workstation investigator Ana Ruiz, whose key ${other.fingerprint} is not this workstation's key`,
        ),
      ),
    });
    expect(fs.readFileSync(made.database, 'utf8')).toBe('garbage where the database was');
  });
});

describe('restoring a backup whose custody details canonical JSON cannot encode', () => {
  it.each([
    ['a number beyond a double (1e400)', '{"n":1e400}'],
    ['a lone surrogate', '{"s":"\\ud800"}'],
  ])('(%s) refuses it as damaged (exit 1), naming the entry, and changes nothing', async (_what, details) => {
    temp = makeTempStore({ caseNumber: 'D-1' });
    const backupDir = path.join(temp.base, 'backup');
    fs.cpSync(temp.dir, backupDir, { recursive: true });
    // Custos never writes such details: the row is put in by hand, as someone editing the file would.
    const db = openRawDatabase(backupDir);
    try {
      const head = db.prepare('SELECT * FROM ledger ORDER BY seq DESC LIMIT 1').get() as Record<
        string,
        unknown
      >;
      db.prepare(
        `INSERT INTO ledger (seq, time, time_zone, investigator_id, key_fingerprint, action, case_id, subject, details, prev_hash, hash, signature)
         VALUES (@seq, @time, @time_zone, @investigator_id, @key_fingerprint, 'case.create', NULL, 'edited', @details, @prev_hash, @hash, @signature)`,
      ).run({
        ...head,
        seq: 3,
        details,
        prev_hash: head.hash,
        hash: randomBytes(32).toString('hex'),
      });
    } finally {
      db.close();
    }
    const database = storeLayout(temp.dir).database;
    const before = fs.readFileSync(database);
    await expect(restoreStore(temp.dir, backupDir, { acceptLoss: true })).rejects.toMatchObject({
      kind: 'integrity',
      message: expect.stringMatching(
        /has a custody ledger that does not verify \(ledger entry 3: entry 3 cannot be encoded as canonical JSON .*\): the backup was damaged or edited and cannot be used; nothing was restored$/,
      ),
    });
    expect(fs.readFileSync(database)).toEqual(before);
    expect(ledgerOf(temp.dir)).toHaveLength(2);
  });
});
