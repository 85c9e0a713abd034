import { createPrivateKey, randomUUID, sign } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { generateSigningKey } from '../../electron/core/store/signing-key.js';
import { signBody } from '../../electron/core/store/store-anchor.js';
import type { AuditReport } from '../../shared/domain.js';
import { REPO_ROOT, runCustos, runCustosJson } from '../support/run-custos.js';
import { holdDatabaseLock } from '../support/writer-lock-holder.js';
import { eachStoreWithOlderBackup } from './restore-fixtures.js';
import { storeFilesSnapshot } from './store-state.js';

// `custos restore` killed with SIGKILL (a power cut, `kill -9`) at each step between its first
// change to the store folder and the end of its work: the real command, stopped where
// test/support/kill-restore-at.mjs says, then the real commands a user runs next.

const KILL_PRELOAD = path.join(REPO_ROOT, 'test', 'support', 'kill-restore-at.mjs');

type LogJson = {
  entries: { seq: number; action: string; subject: string; details: Record<string, unknown> }[];
};

describe('custos restore killed midway', { timeout: 180_000 }, () => {
  const fixture = eachStoreWithOlderBackup();

  /** Runs `custos restore --from BACKUP --accept-loss`, killed with SIGKILL at `step`. */
  async function restoreKilledAt(step: string): Promise<void> {
    await killedAt(['restore', '--from', fixture.backupDir, '--accept-loss'], step);
  }

  /** Runs `custos ARGS`, killed with SIGKILL at `step` (test/support/kill-restore-at.mjs). */
  async function killedAt(args: string[], step: string): Promise<void> {
    const killed = await runCustos(args, {
      store: fixture.temp.dir,
      env: {
        CUSTOS_TEST_KILL_RESTORE_AT: step,
        NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${KILL_PRELOAD}`.trim(),
      },
    });
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    expect(killed.stderr).toContain(`killed at ${step}\n`);
  }

  /** Runs the next write command (`case create RB-3`): it must succeed, say `note` on stderr, and leave no marker. */
  async function nextWriteSays(note: string | RegExp): Promise<void> {
    const created = await runCustos(['case', 'create', '--number', 'RB-3', '--title', 'next'], {
      store: fixture.temp.dir,
    });
    expect(created.status, created.stderr).toBe(0);
    expect(created.stderr).toMatch(note);
    expect(fs.existsSync(fixture.layout.restorePending)).toBe(false);
  }

  /** `custos audit`, which must find the store clean (exit 0). */
  async function cleanAudit(): Promise<AuditReport> {
    const audit = await runCustosJson<AuditReport>(['audit'], { store: fixture.temp.dir });
    expect(audit.status, JSON.stringify(audit.json.problems)).toBe(0);
    expect(audit.json.clean).toBe(true);
    return audit.json;
  }

  const ledger = async () => {
    const log = await runCustosJson<LogJson>(['log'], { store: fixture.temp.dir });
    expect(log.status, log.stderr).toBe(0);
    return log.json.entries;
  };
  const caseNumbers = async () => {
    const cases = await runCustosJson<{ cases: { number: string }[] }>(['case', 'list'], {
      store: fixture.temp.dir,
    });
    expect(cases.status, cases.stderr).toBe(0);
    return cases.json.cases.map((c) => c.number).sort();
  };
  const leftovers = () =>
    fs
      .readdirSync(fixture.temp.dir)
      .filter((name) => /restore|\.replaced-/.test(name) && !/-(wal|shm)$/.test(name));

  it('after the backup was put in place and before the restore was recorded: readers and the audit say a restore is pending, and the next write command records it (store.restore, interrupted: true), after which the audit is clean', async () => {
    const entriesBefore = (await ledger()).length;
    await restoreKilledAt('swapped');
    expect(fs.existsSync(fixture.layout.restorePending)).toBe(true);

    // Without a writer, nothing is written: a reader is refused, saying what to do, the audit names it.
    const listed = await runCustos(['case', 'list'], { store: fixture.temp.dir });
    expect(listed.status).toBe(1);
    expect(listed.stderr).toMatch(
      /A `custos restore` was interrupted before it was recorded \(.*restore-pending\.json is there\)\. Nothing was written\. Run any write command \(such as `custos init`\)/,
    );
    // The audit: the database in place differs from store.json (a problem), the signed marker is a notice.
    const pending = await runCustosJson<AuditReport>(['audit'], { store: fixture.temp.dir });
    expect(pending.status).toBe(1);
    expect(pending.json.problems).toContainEqual({
      subject: 'store anchor store.json',
      problem: expect.any(String),
    });
    expect(pending.json.notices).toContainEqual({
      subject: 'restore-pending.json',
      problem: expect.stringMatching(
        /a `custos restore` was interrupted before it was recorded in the custody ledger \(its marker is signed with this store's key\); run any write command \(such as `custos init`\)/,
      ),
    });

    await nextWriteSays(
      /note: a `custos restore` was killed after it put the backup in place and before it recorded that; it is now recorded, as custody entry \d+ \(store\.restore, interrupted\)/,
    );

    const entries = await ledger();
    // The backup's entries (one fewer than before), the restore's, the new case's.
    expect(entries).toHaveLength(entriesBefore - 1 + 2);
    const restore = entries.at(-2)!;
    const setAside = leftovers();
    expect(setAside).toEqual([expect.stringMatching(/^custos\.sqlite\.replaced-/)]);
    expect(restore).toMatchObject({
      action: 'store.restore',
      details: {
        interrupted: true,
        from: fixture.backupDir,
        backup: { count: entriesBefore - 1 },
        anchored: { count: entriesBefore },
        live: { count: entriesBefore },
        lostEntries: 1,
        setAside: setAside[0],
        restoreId: expect.any(String),
      },
    });
    expect(entries.at(-1)).toMatchObject({ action: 'case.create' });
    expect(await caseNumbers()).toEqual(['RB-1', 'RB-3']);

    await cleanAudit();
  });

  it.each([
    { step: 'committed', when: 'after its entry was committed, before store.json was rewritten' },
    { step: 'recorded', when: 'after it was recorded, before its marker was removed' },
  ])(
    'killed $when: the next write command records nothing more, and the audit is clean',
    async ({ step }) => {
      await restoreKilledAt(step);
      await nextWriteSays(
        'note: a `custos restore` was killed after it was recorded; its leftover marker (restore-pending.json) was removed',
      );
      const restores = (await ledger()).filter((entry) => entry.action === 'store.restore');
      expect(restores).toHaveLength(1);
      expect(restores[0]!.details.interrupted).toBeUndefined();
      await cleanAudit();
    },
  );

  /**
   * The next write command says the restore was undone; the ledger is `entriesBefore` and its own
   * entry, no restore file is left, every case is there, and the audit is clean (returned).
   */
  async function nextWriteUndoes(entriesBefore: LogJson['entries']): Promise<AuditReport> {
    await nextWriteSays(
      'note: a `custos restore` was killed before it put the backup in place; it was undone, and the database in place is the one that was there',
    );
    expect(leftovers()).toEqual([]);
    const entries = await ledger();
    expect(entries.slice(0, -1)).toEqual(entriesBefore);
    expect(entries.at(-1)).toMatchObject({ action: 'case.create' });
    expect(await caseNumbers()).toEqual(['RB-1', 'RB-2', 'RB-3']);
    return cleanAudit();
  }

  it.each([
    { step: 'marked', when: 'once its marker was written, before anything was moved' },
    {
      step: 'set-aside',
      when: 'after the database in place was renamed aside, before the backup was put in',
    },
  ])(
    'killed $when: the next write command undoes it (the database that was in place is back, unchanged; the copy removed), and the audit is clean, noting the undo',
    async ({ step }) => {
      const entriesBefore = await ledger();
      await restoreKilledAt(step);

      const audit = await nextWriteUndoes(entriesBefore);
      expect(JSON.stringify(audit.notices)).toMatch(
        /restore-pending\.json and \.custos\.sqlite\.restore-\d+\.tmp \(a restore interrupted before the backup was put in place: undone/,
      );
    },
  );

  it.each([
    {
      step: 'marked',
      undoStep: 'copy-removed',
      when: 'once its marker was written',
      undoing: "after it removed the backup's copy",
    },
    {
      step: 'set-aside',
      undoStep: 'put-back',
      when: 'after the database in place was renamed aside',
      undoing: 'after it put the set-aside database back',
    },
  ])(
    'killed $when, then the write command that undoes it killed $undoing: the write after that finishes the undo (the database that was in place, unchanged) instead of refusing the store, and the audit is clean',
    async ({ step, undoStep }) => {
      const entriesBefore = await ledger();
      await restoreKilledAt(step);
      await killedAt(['case', 'create', '--number', 'RB-3', '--title', 'next'], undoStep);
      expect(fs.existsSync(fixture.layout.restorePending)).toBe(true);

      await nextWriteUndoes(entriesBefore);
    },
  );

  it('killed once its marker was written, then `custos restore` run again: it undoes the first, says so, restores, and the audit is clean, noting the undo among what was swept', async () => {
    await restoreKilledAt('marked');
    const again = await runCustos(['restore', '--from', fixture.backupDir, '--accept-loss'], {
      store: fixture.temp.dir,
    });
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).toContain('was killed before it put the backup in place; it was undone');
    expect(fs.existsSync(fixture.layout.restorePending)).toBe(false);
    expect((await ledger()).filter((entry) => entry.action === 'store.restore')).toHaveLength(1);
    const audit = await cleanAudit();
    // Before, only stderr said it: the audit's notice of what the last writer swept did not name it.
    expect(JSON.stringify(audit.notices)).toMatch(
      /restore-pending\.json and \.custos\.sqlite\.restore-\d+\.tmp \(a restore interrupted before the backup was put in place: undone, before the restore that followed began\)/,
    );
  });

  it("killed once the backup's copy was made, before its marker: the next write command removes the copy (no restore began; nothing else is moved), and the audit is clean, noting it", async () => {
    const entriesBefore = await ledger();
    await restoreKilledAt('copied');
    expect(fs.existsSync(fixture.layout.restorePending)).toBe(false);
    expect(leftovers()).toEqual([expect.stringMatching(/^\.custos\.sqlite\.restore-\d+\.tmp$/)]);

    await nextWriteSays(/^$/);
    expect(leftovers()).toEqual([]);
    expect((await ledger()).slice(0, -1)).toEqual(entriesBefore);
    expect(await caseNumbers()).toEqual(['RB-1', 'RB-2', 'RB-3']);
    const audit = await cleanAudit();
    expect(JSON.stringify(audit.notices)).toMatch(
      /\.custos\.sqlite\.restore-\d+\.tmp \(the copy of a restore/,
    );
  });

  it('a power cut at any point of a restore leaves the database that was in place under one of its two names: the folder is fsynced after the marker is in place, after the database is renamed aside and after the copy is renamed in', async () => {
    const trace = path.join(REPO_ROOT, 'test', 'support', 'trace-folder-syncs.mjs');
    const restored = await runCustos(['restore', '--from', fixture.backupDir, '--accept-loss'], {
      store: fixture.temp.dir,
      env: { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${trace}`.trim() },
    });
    expect(restored.status, restored.stderr).toBe(0);
    const steps = restored.stderr
      .split('\n')
      .filter((line) =>
        /^rename .*(restore-pending\.json|custos\.sqlite)$|^rename custos\.sqlite |^fsync folder store$/.test(
          line,
        ),
      )
      .map((line) =>
        line.startsWith('fsync')
          ? 'fsync'
          : /-> restore-pending\.json$/.test(line)
            ? 'marker'
            : /^rename custos\.sqlite -> custos\.sqlite\.replaced-/.test(line)
              ? 'set aside'
              : /^rename \.custos\.sqlite\.restore-\d+\.tmp -> custos\.sqlite$/.test(line)
                ? 'copy in'
                : line,
      );
    const from = steps.indexOf('marker');
    expect(steps.slice(from, steps.indexOf('copy in') + 2)).toEqual([
      'marker',
      'fsync',
      'set aside',
      'fsync',
      'copy in',
      'fsync',
    ]);
  });

  /** The store folder's files and content, but the writer lock's own files (the killed restore's, left behind). */
  const snapshot = () => {
    const { files, ...content } = storeFilesSnapshot(fixture.temp.dir);
    return { files: files.filter((name) => !name.startsWith('writer.lock')), ...content };
  };

  /** Runs each write command (and a new restore): each must exit 1 saying `says`, and write nothing. */
  async function refusedByEveryWriter(says: RegExp): Promise<void> {
    const before = snapshot();
    for (const args of [
      ['case', 'create', '--number', 'RB-3', '--title', 'next'],
      ['init', '--investigator', 'Officer'],
      ['restore', '--from', fixture.backupDir, '--accept-loss'],
    ]) {
      const refused = await runCustos(args, { store: fixture.temp.dir });
      expect(refused.status, `${args[0]}: ${refused.stderr}`).toBe(1);
      expect(refused.stderr).toMatch(says);
      expect(snapshot(), args[0]).toEqual(before);
    }
  }

  it.each([
    {
      marker: 'cut short',
      edit: () => '{"format": "custos-restore-pen',
      why: /not JSON: .*/,
    },
    {
      marker: 'naming the database as the copy to remove',
      edit: (text: string) => JSON.stringify({ ...JSON.parse(text), incoming: 'custos.sqlite' }),
      why: /not a custos-restore-pending\/1 record/,
    },
    {
      marker: 'naming store.json as the database to put back',
      edit: (text: string) => JSON.stringify({ ...JSON.parse(text), setAside: 'store.json' }),
      why: /not a custos-restore-pending\/1 record/,
    },
  ])(
    'a marker $marker stops every write command and a new restore with exit 1, saying it cannot be read, and nothing is written',
    async ({ edit, why }) => {
      await restoreKilledAt('swapped');
      fs.writeFileSync(
        fixture.layout.restorePending,
        edit(fs.readFileSync(fixture.layout.restorePending, 'utf8')),
      );
      await refusedByEveryWriter(
        new RegExp(
          `restore-pending\\.json, left by a \`custos restore\` that was interrupted, cannot be read \\(${why.source}\\), so whether it had put the backup in place cannot be told\\. Nothing was written\\.`,
        ),
      );
    },
  );

  it.each([
    { signed: 'not signed', signature: () => undefined },
    {
      signed: 'signed by another key',
      signature: (body: object) => {
        const other = createPrivateKey(generateSigningKey().privateKeyPem);
        return signBody(body, { sign: (data: Uint8Array) => sign(null, data, other) } as never);
      },
    },
  ])(
    'a forged marker ($signed) naming the restore file names, with an older genuine copy of the database put in place, stops every write command with exit 1 saying the folder was changed by something other than Custos, and nothing is written (no store.restore signed for the rollback)',
    async ({ signature }) => {
      // No restore ran: someone copies the older backup over the database and writes the marker a
      // restore that had put it in place would have left.
      for (const suffix of ['-wal', '-shm'])
        fs.rmSync(`${fixture.layout.database}${suffix}`, { force: true });
      fs.copyFileSync(path.join(fixture.backupDir, 'custos.sqlite'), fixture.layout.database);
      const db = new Database(fixture.layout.database, { readonly: true });
      const head = db.prepare('SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1').get() as {
        seq: number;
        hash: string;
      };
      db.close();
      const id = randomUUID();
      const body = {
        format: 'custos-restore-pending/1',
        id,
        startedAt: new Date().toISOString(),
        incoming: '.custos.sqlite.restore-4242.tmp',
        setAside: null,
        backup: { count: head.seq, headHash: head.hash },
        details: {
          from: fixture.backupDir,
          anchored: { count: head.seq, headHash: head.hash },
          backup: { count: head.seq },
          lostEntries: 0,
          restoreId: id,
        },
      };
      fs.writeFileSync(
        fixture.layout.restorePending,
        JSON.stringify({ ...body, signature: signature(body) }),
      );
      const forged =
        /restore-pending\.json says a `custos restore` was interrupted, but (it is not signed|its signature does not verify with this store's workstation key \(store\.json\)): it was not written by Custos, so the store folder was changed by something other than Custos\. Nothing was written\. Keep everything in this folder as it is/;
      await refusedByEveryWriter(forged);
      // The audit names both: the database cut back behind store.json, and the forged marker.
      const audit = await runCustosJson<AuditReport>(['audit'], { store: fixture.temp.dir });
      expect(audit.status).toBe(1);
      expect(audit.json.problems).toEqual(
        expect.arrayContaining([
          { subject: 'store anchor store.json', problem: expect.stringMatching(/older copy/) },
          { subject: 'restore-pending.json', problem: expect.stringMatching(forged) },
        ]),
      );
    },
  );

  /** The marker's name for the backup's copy, and its path in the store folder. */
  const markerIncoming = () =>
    path.join(
      fixture.temp.dir,
      (JSON.parse(fs.readFileSync(fixture.layout.restorePending, 'utf8')) as { incoming: string }).incoming,
    );

  it("an empty file under the copy's temporary name put beside a finished swap (the database, the copy and the set-aside database all there, which no restore leaves) stops every write command with exit 1, naming the three, and nothing is written (the set-aside database is not put over the one in place)", async () => {
    await restoreKilledAt('swapped');
    fs.writeFileSync(markerIncoming(), '');
    await refusedByEveryWriter(
      /restore-pending\.json says a `custos restore` was interrupted, but .*custos\.sqlite, the copy .*\.custos\.sqlite\.restore-\d+\.tmp and the set-aside database .*custos\.sqlite\.replaced-\S+ are all there, which no restore leaves .*Nothing was written\./,
    );
  });

  it.each([
    {
      put: "an empty file under its copy's name (the undo would put its set-aside database over the database in place)",
      alsoPut: (incoming: string) => fs.writeFileSync(incoming, ''),
    },
    {
      put: 'the older backup copied over the database (finishing it would sign that rollback)',
      alsoPut: () => {
        for (const suffix of ['-wal', '-shm'])
          fs.rmSync(`${fixture.layout.database}${suffix}`, { force: true });
        fs.copyFileSync(path.join(fixture.backupDir, 'custos.sqlite'), fixture.layout.database);
      },
    },
  ])(
    "a genuine marker kept from an earlier interrupted restore and put back after later writes, with $put, stops every write command with exit 1, saying it is an earlier restore's marker, and nothing is written",
    async ({ alsoPut }) => {
      await restoreKilledAt('swapped');
      const marker = fs.readFileSync(fixture.layout.restorePending);
      const incoming = markerIncoming();
      await nextWriteSays(/it is now recorded/);
      fs.writeFileSync(fixture.layout.restorePending, marker);
      alsoPut(incoming);
      await refusedByEveryWriter(
        /restore-pending\.json was written by a `custos restore` when store\.json recorded custody entry (\d+) \(\w+…\), but store\.json now records entry (?!\1\b)\d+ \(\w+…\): it is a marker from an earlier restore, put back, and does not describe this store\. Nothing was written\./,
      );
    },
  );

  it("a genuine marker of a restore killed after its entry was committed, kept with a copy of that database and both put back after a later write, stops every write command with exit 1, saying it is an earlier restore's marker, and nothing is written (store.json is not signed for the rollback, the later case is not lost)", async () => {
    await restoreKilledAt('committed');
    const marker = fs.readFileSync(fixture.layout.restorePending);
    const copies = ['', '-wal'].flatMap((suffix) => {
      const file = `${fixture.layout.database}${suffix}`;
      return fs.existsSync(file) ? [{ file, bytes: fs.readFileSync(file) }] : [];
    });
    await nextWriteSays(/its leftover marker \(restore-pending\.json\) was removed/);
    // Someone puts back the database as the kill left it (without case RB-3), and the marker.
    for (const suffix of ['-wal', '-shm']) fs.rmSync(`${fixture.layout.database}${suffix}`, { force: true });
    for (const { file, bytes } of copies) fs.writeFileSync(file, bytes);
    fs.writeFileSync(fixture.layout.restorePending, marker);
    await refusedByEveryWriter(
      /restore-pending\.json was written by a `custos restore` when store\.json recorded custody entry (\d+) \(\w+…\), but store\.json now records entry (?!\1\b)\d+ \(\w+…\): it is a marker from an earlier restore, put back, and does not describe this store\. Nothing was written\./,
    );
    // The audit names the database cut back behind store.json, and the marker as a problem.
    const audit = await runCustosJson<AuditReport>(['audit'], { store: fixture.temp.dir });
    expect(audit.status).toBe(1);
    expect(audit.json.problems).toEqual(
      expect.arrayContaining([
        { subject: 'store anchor store.json', problem: expect.any(String) },
        {
          subject: 'restore-pending.json',
          problem: expect.stringMatching(/a marker from an earlier restore, put back/),
        },
      ]),
    );
  });

  it.each([
    { command: '`custos restore`', step: null },
    { command: 'the write command that finishes a restore killed after the swap', step: 'swapped' },
    { command: 'the write command that settles a restore killed after its commit', step: 'committed' },
  ])(
    'store.json that cannot be rewritten (a full disk) for the restore entry: $command exits 3 saying so, keeps restore-pending.json, and the next write command rewrites store.json, after which the audit is clean (the store is not refused as replaced)',
    async ({ step }) => {
      const failing = path.join(REPO_ROOT, 'test', 'support', 'failing-anchor-write.mjs');
      const env = { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${failing}`.trim() };
      if (step) await restoreKilledAt(step);
      const args = step
        ? ['case', 'create', '--number', 'RB-4', '--title', 'not made']
        : ['restore', '--from', fixture.backupDir, '--accept-loss'];
      const failed = await runCustos(args, { store: fixture.temp.dir, env });
      expect(failed.status, failed.stderr).toBe(3);
      expect(failed.stderr).toMatch(
        /the restore is recorded as custody entry \d+, but .*store\.json could not be rewritten for it \(.*ENOSPC.*\), so .*restore-pending\.json is kept\. Free space on the disk holding the store, then run any write command/,
      );
      expect(fs.existsSync(fixture.layout.restorePending)).toBe(true);

      await nextWriteSays(/its leftover marker \(restore-pending\.json\) was removed/);
      const restores = (await ledger()).filter((entry) => entry.action === 'store.restore');
      expect(restores).toHaveLength(1);
      expect(await caseNumbers()).toEqual(['RB-1', 'RB-3']);
      await cleanAudit();
    },
  );

  it('another program holding the database locked while the next write command settles a restore killed after the swap: exit 3 saying the database is in use and what to do, not that it was changed, and nothing is written; once it lets go, the next write records the restore', async () => {
    await restoreKilledAt('swapped');
    const before = snapshot();
    const holder = await holdDatabaseLock(fixture.temp.dir);
    let refused: Awaited<ReturnType<typeof runCustos>>;
    try {
      refused = await runCustos(['case', 'create', '--number', 'RB-3', '--title', 'next'], {
        store: fixture.temp.dir,
      });
    } finally {
      await holder.kill();
    }
    expect(refused.status, refused.stderr).toBe(3);
    expect(refused.stderr).toMatch(
      /the store's database is in use by another program \(SQLITE_BUSY\w*\), so .*: close any other program that has it open .* and run the command again/,
    );
    expect(refused.stderr).not.toMatch(/changed since/);
    expect(snapshot()).toEqual(before);
    await nextWriteSays(/it is now recorded/);
  });

  it('a marker the disk fails to read (EIO) stops the next write command with exit 3, saying the disk failed and to copy the store to a sound disk, and nothing is written', async () => {
    await restoreKilledAt('swapped');
    const before = snapshot();
    const failing = path.join(REPO_ROOT, 'test', 'support', 'failing-marker-read.mjs');
    const refused = await runCustos(['case', 'create', '--number', 'RB-3', '--title', 'next'], {
      store: fixture.temp.dir,
      env: { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${failing}`.trim() },
    });
    expect(refused.status, refused.stderr).toBe(3);
    expect(refused.stderr).toMatch(
      /the disk holding .*restore-pending\.json failed to read or write \(EIO: .*\); it may be failing\. Check it and copy the store to a sound disk before going on/,
    );
    expect(snapshot()).toEqual(before);
  });

  it('a database put in place by hand after the kill, neither the backup nor the recorded restore, stops every write command with exit 1, naming both heads and the set-aside file, and nothing is written', async () => {
    await restoreKilledAt('swapped');
    // Someone "fixes" the store by copying the set-aside database back over the backup's copy.
    const [setAside] = fs.readdirSync(fixture.temp.dir).filter((name) => /\.replaced-.*Z$/.test(name));
    for (const suffix of ['', '-wal']) {
      const file = path.join(fixture.temp.dir, `${setAside!}${suffix}`);
      if (fs.existsSync(file)) fs.copyFileSync(file, `${fixture.layout.database}${suffix}`);
    }
    await refusedByEveryWriter(
      /restore-pending\.json says a restore was putting in place a backup whose ledger ends at entry (\d+) \(\w+…\), but the database in place ends at entry (?!\1\b)\d+ \(\w+…\): it was changed since\. Nothing was written\. Keep this folder as it is for examination; the database that was in place before the restore is kept as .*custos\.sqlite\.replaced-/,
    );
  });
});
