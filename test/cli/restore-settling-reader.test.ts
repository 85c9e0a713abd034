import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuditReport } from '../../shared/domain.js';
import { apiForStore } from '../support/api-for-store.js';
import { pausedWriter, started, untilSaidOrExited } from '../support/paused-writer.js';
import { type CustosResult, runCustos, spawnCustos } from '../support/run-custos.js';
import { holdWriterLock } from '../support/writer-lock-holder.js';
import { eachStoreWithOlderBackup, restoreKilledAt as killRestoreAt } from './restore-fixtures.js';
import { storeFilesSnapshot } from './store-state.js';

// A reader (no lock, settles nothing) run while another process's write is settling a `custos
// restore` that a kill interrupted: the real commands, the restore killed by
// test/support/kill-restore-at.mjs, the settling writer held midway by
// test/support/pause-settle-at.mjs until the reader is running.

/** What a reader says on stderr when it waits for the lock holder to settle the restore. */
const WAITING =
  /note: a `custos restore` is not recorded yet \(restore-pending\.json is there\), and another Custos process \(pid \d+ on .*\) holds the store's writer lock: waiting a few seconds for it to finish or undo that restore before reading/;

/** Whether util-linux `script`, which gives a command a pseudo-terminal, is there. */
const HAS_SCRIPT = spawnSync('script', ['--version']).status === 0;
if (!HAS_SCRIPT)
  console.log(
    'restore-settling-reader: the pseudo-terminal test is skipped: util-linux `script` is not installed (Debian: apt-get install bsdutils)',
  );

/** Any such note, whoever holds the lock. */
const ANY_WAIT = /waiting a few seconds for it to finish or undo that restore/;

describe('a reader while another process settles an interrupted restore', { timeout: 180_000 }, () => {
  const fixture = eachStoreWithOlderBackup();

  async function restoreKilledAt(step: string): Promise<void> {
    await killRestoreAt(fixture.temp.dir, fixture.backupDir, step);
    expect(fs.existsSync(fixture.layout.restorePending)).toBe(true);
  }

  /**
   * Starts the next write (`case create RB-3`, or `writing`), held at `step` with the writer lock,
   * runs `reader` once it is held, lets the settle go on once the reader has said it waits (or has
   * exited), and gives both results.
   */
  async function readWhileSettling(
    step: 'settling' | 'anchoring',
    reader: readonly string[],
    writing: readonly string[] = ['case', 'create', '--number', 'RB-3', '--title', 'next'],
  ): Promise<{ read: CustosResult; write: CustosResult }> {
    const writer = pausedWriter(fixture.temp.dir, writing, [step], path.join(fixture.temp.base, 'resume'));
    try {
      await writer.untilPaused(step);
      const read = started(spawnCustos(reader, { store: fixture.temp.dir, json: true }));
      await untilSaidOrExited(read, WAITING);
      writer.resume(step);
      return { read: await read.result, write: await writer.result };
    } finally {
      writer.resume(step); // never leaves the writer held
    }
  }

  it('a reader run while the next write finishes a restore killed after the swap waits, and lists the restored store (exit 0), not "interrupted restore pending"', async () => {
    await restoreKilledAt('swapped');
    const { read, write } = await readWhileSettling('settling', ['case', 'list']);
    expect(write.status, write.stderr).toBe(0);
    expect(write.stderr).toMatch(/it is now recorded, as custody entry \d+ \(store\.restore, interrupted\)/);
    expect(read.status, read.stderr).toBe(0);
    expect(read.stderr).toMatch(WAITING);
    const numbers = (JSON.parse(read.stdout) as { cases: { number: string }[] }).cases.map((c) => c.number);
    // The backup's case; RB-2 came after the backup, RB-3 is the writer's (listed or not yet).
    expect(numbers).toContain('RB-1');
    expect(numbers).not.toContain('RB-2');
    expect(fs.existsSync(fixture.layout.restorePending)).toBe(false);
  });

  it('the audit run while the settle has committed the restore entry but not yet rewritten store.json waits, and finds the settled store clean (exit 0)', async () => {
    await restoreKilledAt('swapped');
    const { read, write } = await readWhileSettling('anchoring', ['audit']);
    expect(write.status, write.stderr).toBe(0);
    expect(read.status, `${read.stdout}\n${read.stderr}`).toBe(0);
    const report = JSON.parse(read.stdout) as AuditReport;
    expect(report.clean).toBe(true);
    expect(report.notices.map((n) => n.subject)).not.toContain('restore-pending.json');
  });

  it('a reader run while the next write undoes a restore killed with no database in place waits, and reads the database that was there (exit 0)', async () => {
    await restoreKilledAt('set-aside');
    expect(fs.existsSync(fixture.layout.database)).toBe(false);
    const { read, write } = await readWhileSettling('settling', ['case', 'list']);
    expect(write.status, write.stderr).toBe(0);
    expect(write.stderr).toMatch(/note: .*undone/);
    expect(read.status, read.stderr).toBe(0);
    const numbers = (JSON.parse(read.stdout) as { cases: { number: string }[] }).cases.map((c) => c.number);
    expect(numbers).toEqual(expect.arrayContaining(['RB-1', 'RB-2']));
  });

  it('a reader run while `custos restore` itself has committed its entry and not yet rewritten store.json waits, and lists the restored store (exit 0)', async () => {
    const { read, write } = await readWhileSettling(
      'anchoring',
      ['case', 'list'],
      ['restore', '--from', fixture.backupDir, '--accept-loss'],
    );
    expect(write.status, write.stderr).toBe(0);
    expect(read.status, read.stderr).toBe(0);
    expect(read.stderr).toMatch(WAITING);
    const numbers = (JSON.parse(read.stdout) as { cases: { number: string }[] }).cases.map((c) => c.number);
    expect(numbers).toEqual(['RB-1']);
  });

  /**
   * Runs `reader`, held at the preload's `step` (`reading`: it has looked at the marker and found
   * the writer lock free; `auditing`: the audit's open is done with the lock free), starts the next
   * write (`case create RB-3`) and holds it as its settle begins (`settling`: the lock held, the
   * marker read, nothing moved), lets the reader go on, then lets the write go on once the reader
   * has said `said` (or has exited), or once it has answered when `said` is null; gives both results.
   */
  async function readerBesideSettle(
    reader: readonly string[],
    step: 'reading' | 'auditing',
    said: RegExp | null,
  ): Promise<{ read: CustosResult; write: CustosResult }> {
    const resume = path.join(fixture.temp.base, 'resume');
    const read = pausedWriter(fixture.temp.dir, ['--json', ...reader], [step], `${resume}-reader`);
    let writer: ReturnType<typeof pausedWriter> | undefined;
    try {
      await read.untilPaused(step);
      writer = pausedWriter(
        fixture.temp.dir,
        ['case', 'create', '--number', 'RB-3', '--title', 'next'],
        ['settling'],
        `${resume}-writer`,
      );
      await writer.untilPaused('settling');
      read.resume(step);
      if (said) await untilSaidOrExited(read, said);
      else await read.result;
      writer.resume('settling');
      return { read: await read.result, write: await writer.result };
    } finally {
      read.resume(step);
      writer?.resume('settling'); // never leaves either held
    }
  }

  /** A reader held once it found the lock free, just before the next write takes it to settle. */
  const readBeforeSettleBegins = (reader: readonly string[]) =>
    readerBesideSettle(reader, 'reading', WAITING);

  it('a reader that found the restore pending with the writer lock free, just before the next write took the lock to finish it, waits for that write and lists the restored store (exit 0), not "interrupted restore pending"', async () => {
    await restoreKilledAt('swapped');
    const { read, write } = await readBeforeSettleBegins(['case', 'list']);
    expect(write.status, write.stderr).toBe(0);
    expect(read.status, read.stderr).toBe(0);
    expect(read.stderr).toMatch(WAITING);
    const numbers = (JSON.parse(read.stdout) as { cases: { number: string }[] }).cases.map((c) => c.number);
    expect(numbers).toContain('RB-1');
    expect(numbers).not.toContain('RB-2');
  });

  it('the audit that found the restore pending with the writer lock free, just before the next write took the lock to finish it, audits the settled store: clean (exit 0)', async () => {
    await restoreKilledAt('swapped');
    const { read, write } = await readBeforeSettleBegins(['audit']);
    expect(write.status, write.stderr).toBe(0);
    expect(read.status, `${read.stdout}\n${read.stderr}`).toBe(0);
    const report = JSON.parse(read.stdout) as AuditReport;
    expect(report.clean).toBe(true);
    expect(report.notices.map((n) => n.subject)).not.toContain('restore-pending.json');
  });

  it('a reader that waits for a settle before its open and again after it (a restore began meanwhile) says that it waits once', async () => {
    await restoreKilledAt('swapped');
    const resume = path.join(fixture.temp.base, 'resume');
    const settling = pausedWriter(
      fixture.temp.dir,
      ['case', 'create', '--number', 'RB-3', '--title', 'next'],
      ['settling'],
      `${resume}-writer`,
    );
    let read: ReturnType<typeof pausedWriter> | undefined;
    let restore: ReturnType<typeof pausedWriter> | undefined;
    try {
      await settling.untilPaused('settling');
      read = pausedWriter(fixture.temp.dir, ['--json', 'case', 'list'], ['reading'], `${resume}-reader`);
      await untilSaidOrExited(read, WAITING); // the first wait: the write holds the lock beside the marker
      settling.resume('settling');
      const settled = await settling.result;
      expect(settled.status, settled.stderr).toBe(0);
      await read.untilPaused('reading'); // the marker gone, its open about to read store.json
      // A real `custos restore` held with the lock and its marker, the backup in place: the open
      // reads it, sees the store moved, and waits a second time.
      restore = pausedWriter(
        fixture.temp.dir,
        ['restore', '--from', fixture.backupDir, '--accept-loss'],
        ['anchoring'],
        `${resume}-restore`,
      );
      await restore.untilPaused('anchoring');
      read.resume('reading');
      const answered = await read.result; // held past the wait: the store in use
      restore.resume('anchoring');
      expect((await restore.result).status).toBe(0);
      expect(answered.status, answered.stderr).toBe(3);
      expect(answered.stderr).toMatch(/which is finishing or undoing a `custos restore`/);
      expect(answered.stderr.match(new RegExp(ANY_WAIT.source, 'g'))).toHaveLength(1);
    } finally {
      settling.resume('settling');
      read?.resume('reading');
      restore?.resume('anchoring'); // never leaves any held
    }
  });

  for (const [killedAt, inPlace] of [
    [
      'settling',
      /^the database in place is the backup a `custos restore` was putting in place \(its custody ledger ends at entry 5, as restore-pending\.json records\), and the restore was stopped before it recorded that, so store\.json still records the 6 custody entries from before the restore; /,
    ],
    [
      'anchoring',
      /^the database in place is the backup a `custos restore` put in place, with the restore recorded as custody entry 6, but the restore was stopped before it rewrote store\.json for that entry, so store\.json still records the 6 custody entries from before the restore; /,
    ],
  ] as const)
    it(`with the write that was settling the restore killed (${killedAt}), the CLI's and the window's audit say the database in place is the restore's backup, the restore not settled, and to run a write command (or open the store again), then audit again (exit 1, not "replaced by an older copy"); the next write settles it and the audit is clean`, async () => {
      await restoreKilledAt('swapped');
      const writer = pausedWriter(
        fixture.temp.dir,
        ['case', 'create', '--number', 'RB-3', '--title', 'next'],
        [killedAt],
        path.join(fixture.temp.base, 'resume'),
      );
      await writer.untilPaused(killedAt);
      writer.child.kill('SIGKILL');
      expect((await writer.result).signal).toBe('SIGKILL');
      expect(fs.existsSync(fixture.layout.restorePending)).toBe(true);

      const audit = await runCustos(['audit'], { store: fixture.temp.dir, json: true });
      expect(audit.status, audit.stderr).toBe(1);
      expect(audit.stderr).not.toMatch(ANY_WAIT); // the killed writer holds no lock
      const anchorProblem = (report: AuditReport) =>
        report.problems.find((p) => p.subject === 'store anchor store.json')?.problem;
      const cli = anchorProblem(JSON.parse(audit.stdout) as AuditReport);
      expect(cli).toMatch(inPlace);
      expect(cli).toMatch(
        /; run any write command \(such as `custos init`\): it finishes the restore, .* then run `custos audit` again$/,
      );
      expect(cli).not.toMatch(/older copy|history was replaced/);

      const api = apiForStore(fixture.temp);
      try {
        const answer = await api.call('auditStore', {});
        expect(answer.ok, JSON.stringify(answer)).toBe(true);
        const window = anchorProblem((answer as { value: AuditReport }).value);
        expect(window).toMatch(inPlace);
        expect(window).toMatch(
          /; close Custos and open it again: opening the store finishes the restore, .* then open Audit store and run the audit again$/,
        );
      } finally {
        api.close();
      }
      expect(fs.existsSync(fixture.layout.restorePending)).toBe(true);

      const next = await runCustos(['case', 'create', '--number', 'RB-4', '--title', 'after'], {
        store: fixture.temp.dir,
      });
      expect(next.status, next.stderr).toBe(0);
      expect(next.stderr).toMatch(
        /note: a `custos restore` was killed after it (put the backup in place|was recorded)/,
      );
      expect(fs.existsSync(fixture.layout.restorePending)).toBe(false);
      const settled = await runCustos(['audit'], { store: fixture.temp.dir, json: true });
      expect(settled.status, settled.stdout).toBe(0);
    });

  /** What the audit says on stderr when a restore overtook it and it audits the restored store again. */
  const AUDITING_AGAIN =
    /note: the store was restored while the audit ran; auditing the restored store again/;

  /** A real `custos restore` of the backup, the loss accepted, run to its end. */
  async function restoreBackup(): Promise<void> {
    const restore = await runCustos(['restore', '--from', fixture.backupDir, '--accept-loss'], {
      store: fixture.temp.dir,
    });
    expect(restore.status, restore.stderr).toBe(0);
  }

  /**
   * `custos audit` held at each of `steps` in turn (`auditing`: its database open, store.json about
   * to be read for its snapshot; `auditing-again`: the same in its second run), a real `custos
   * restore` run to its end while it is held there (or `overtake`); gives its result.
   */
  async function auditOvertaken(
    steps: readonly ('auditing' | 'auditing-again')[],
    args: readonly string[] = ['--json', 'audit'],
    options: { readonly terminal?: boolean; readonly overtake?: () => Promise<void> } = {},
  ): Promise<CustosResult> {
    const audit = pausedWriter(
      fixture.temp.dir,
      args,
      steps,
      path.join(fixture.temp.base, 'resume'),
      options,
    );
    try {
      for (const step of steps) {
        await audit.untilPaused(step);
        await (options.overtake ?? restoreBackup)();
        audit.resume(step);
      }
    } finally {
      for (const step of steps) audit.resume(step); // never leaves it held
    }
    return await audit.result;
  }

  it('an audit whose database is open while a real `custos restore` swaps the database and rewrites store.json says so and audits the restored store once more: exit 0, the report of the restored store alone, not "its history was replaced" (exit 1) nor "run it again" (exit 3)', async () => {
    const audited = await auditOvertaken(['auditing']);
    expect(audited.status, `${audited.stdout}\n${audited.stderr}`).toBe(0);
    expect(audited.stderr).toMatch(AUDITING_AGAIN);
    expect(audited.stderr).not.toMatch(/run `custos audit` again/i);
    const report = JSON.parse(audited.stdout) as AuditReport;
    expect(report.clean).toBe(true);
    // The restored store's report, as an audit run afterwards gives it: the backup's ledger and the
    // restore's entry, nothing of the database the restore set aside (one entry more than the backup).
    const again = await runCustos(['audit'], { store: fixture.temp.dir, json: true });
    expect(again.status, again.stdout).toBe(0);
    expect(report).toEqual(JSON.parse(again.stdout) as AuditReport);
  });

  it('an audit overtaken by a `custos restore` killed after its swap (restore-pending.json left) audits the store in place once more and names the interrupted restore (exit 1), not "restored while the audit ran" (exit 3)', async () => {
    const audited = await auditOvertaken(['auditing'], ['--json', 'audit'], {
      overtake: () => restoreKilledAt('swapped'),
    });
    expect(audited.status, `${audited.stdout}\n${audited.stderr}`).toBe(1);
    expect(audited.stderr).toMatch(AUDITING_AGAIN);
    expect(audited.stderr).not.toMatch(/the store was restored while the audit ran \(/);
    const report = JSON.parse(audited.stdout) as AuditReport;
    expect(report.problems.find((p) => p.subject === 'store anchor store.json')?.problem).toMatch(
      /^the database in place is the backup a `custos restore` was putting in place/,
    );
    expect(report.notices.map((n) => n.subject)).toContain('restore-pending.json');
  });

  it('an audit that waited for a settle before reading, then overtaken by a restore, says it waits again before auditing the restored store: each distinct wait explained once', async () => {
    const resume = path.join(fixture.temp.base, 'resume');
    const settle = (name: string) =>
      pausedWriter(
        fixture.temp.dir,
        ['case', 'create', '--number', name, '--title', 'next'],
        ['settling'],
        `${resume}-${name}`,
      );
    await restoreKilledAt('swapped');
    const first = settle('RB-3');
    let audit: ReturnType<typeof pausedWriter> | undefined;
    let second: ReturnType<typeof pausedWriter> | undefined;
    let audited: CustosResult;
    try {
      // The audit starts once the write holds the lock beside the marker: started beside it, it
      // could find the lock still free, read the pending restore at once and never wait.
      await first.untilPaused('settling');
      audit = pausedWriter(fixture.temp.dir, ['--json', 'audit'], ['auditing'], `${resume}-audit`);
      await untilSaidOrExited(audit, /before reading/); // its open waits for the first settle
      first.resume('settling');
      expect((await first.result).status).toBe(0);
      await audit.untilPaused('auditing');
      await restoreKilledAt('swapped'); // another database in place: the run is overtaken
      second = settle('RB-4');
      await second.untilPaused('settling');
      audit.resume('auditing'); // its open of the restored store waits for the second settle
      await untilSaidOrExited(audit, /before auditing the restored store/);
      second.resume('settling');
      expect((await second.result).status).toBe(0);
      audited = await audit.result;
    } finally {
      for (const held of [first, second]) held?.resume('settling'); // never leaves one held
      audit?.resume('auditing');
    }
    expect(audited.status, `${audited.stdout}\n${audited.stderr}`).toBe(0);
    const notes = audited.stderr.split('\n').filter((line) => ANY_WAIT.test(line));
    expect(notes).toHaveLength(2);
    expect(notes[0]).toMatch(/before reading$/);
    expect(notes[1]).toMatch(/before auditing the restored store$/);
    expect(audited.stderr.indexOf(notes[1]!)).toBeGreaterThan(audited.stderr.search(AUDITING_AGAIN));
  });

  it('an audit overtaken by a restore in its first run and again in the run on the restored store says the store was restored while it ran and to run it again (exit 3), with no report', async () => {
    const overtaken = await auditOvertaken(['auditing', 'auditing-again']);
    expect(overtaken.status, `${overtaken.stdout}\n${overtaken.stderr}`).toBe(3);
    expect(overtaken.stderr).toMatch(AUDITING_AGAIN);
    expect(overtaken.stderr).toMatch(
      /the store was restored while the audit ran \(a restore put another database in place, or an interrupted one was finished or undone\), so the audit checked a store that is no longer there and its report is left out; nothing was written\. Run `custos audit` again/,
    );
    expect(overtaken.stdout).toBe('');
    const again = await runCustos(['audit'], { store: fixture.temp.dir, json: true });
    expect(again.status, again.stdout).toBe(0);
  });

  it.skipIf(!HAS_SCRIPT)(
    'on a terminal, the audit ends its progress line before the note that it audits the restored store again and before the error that ends it: each starts a line of its own',
    async () => {
      const ended = await auditOvertaken(['auditing', 'auditing-again'], ['audit'], { terminal: true });
      expect(ended.status, ended.stdout).toBe(3);
      const terminal = ended.stdout;
      const progress = /re-hashing blobs [^\r\n]*% \(\d+\/\d+\)/;
      expect(terminal).toMatch(progress); // a progress line was drawn, in each run
      for (const said of [
        'note: the store was restored while the audit ran; auditing',
        'custos: the store was restored',
      ]) {
        const at = terminal.indexOf(said);
        expect(at, terminal).toBeGreaterThan(0);
        // Right after the line was cleared (carriage return, erase line) or a new line began.
        expect(JSON.stringify(terminal.slice(Math.max(0, at - 4), at))).toMatch(/(\\r\\u001b\[K|\\n)"$/);
      }
    },
  );

  /**
   * `custos audit` held once its open is done, going on to its end beside the next write held as
   * its settle begins; the write let go once the audit has said it waits (`untilAuditWaits`), or
   * once the audit has answered.
   */
  const auditEndingBesideSettle = (untilAuditWaits: boolean) =>
    readerBesideSettle(['audit'], 'auditing', untilAuditWaits ? ANY_WAIT : null);

  it('an audit that ends while a write holds the lock beside the pending restore, a write that then refuses it and changes nothing, waits for that write and reports the interrupted restore (exit 1), not "the store was restored while the audit ran" (exit 3)', async () => {
    await restoreKilledAt('swapped');
    // The backup's copy back under its temporary name as well: the next write refuses to settle it.
    const { incoming } = JSON.parse(fs.readFileSync(fixture.layout.restorePending, 'utf8')) as {
      incoming: string;
    };
    fs.copyFileSync(fixture.layout.database, path.join(fixture.temp.dir, incoming));
    const { read, write } = await auditEndingBesideSettle(true);
    expect(write.status, write.stderr).toBe(1);
    expect(write.stderr).toMatch(/are all there/);
    expect(read.status, `${read.stdout}\n${read.stderr}`).toBe(1);
    expect(read.stderr).toMatch(
      /holds the store's writer lock: waiting a few seconds for it to finish or undo that restore before giving its report/,
    );
    const report = JSON.parse(read.stdout) as AuditReport;
    expect(report.problems.find((p) => p.subject === 'store anchor store.json')?.problem).toMatch(
      /^the database in place is the backup a `custos restore` was putting in place/,
    );
    expect(report.notices.map((n) => n.subject)).toContain('restore-pending.json');
  });

  it('an audit that ends while a write holds the lock beside the pending restore past the wait says its report is left out and to run it again (exit 3), not "nothing was read"', async () => {
    await restoreKilledAt('swapped');
    const { read, write } = await auditEndingBesideSettle(false); // the write held until the audit has answered
    expect(write.status, write.stderr).toBe(0);
    expect(read.status, `${read.stdout}\n${read.stderr}`).toBe(3);
    expect(read.stdout).toBe('');
    expect(read.stderr).toMatch(
      /which is finishing or undoing a `custos restore` \(restore-pending\.json is there\) and still holds the store's writer lock after a few seconds; the audit may have checked a store that is no longer there, so its report is left out; nothing was written\. Wait for it to finish, then run the command again/,
    );
    expect(read.stderr).not.toMatch(/nothing was read/);
  });

  it('with no writer settling it, a reader still reports the pending restore at once (exit 1), without waiting', async () => {
    await restoreKilledAt('swapped');
    const listed = await runCustos(['case', 'list'], { store: fixture.temp.dir });
    expect(listed.status).toBe(1);
    expect(listed.stderr).toMatch(
      /A `custos restore` was interrupted before it was recorded \(.*restore-pending\.json is there\)\. Nothing was written\. Run any write command/,
    );
    expect(listed.stderr).not.toMatch(ANY_WAIT);
    const audit = await runCustos(['audit'], { store: fixture.temp.dir, json: true });
    expect(audit.status).toBe(1);
    expect(audit.stderr).not.toMatch(ANY_WAIT);
    expect(fs.existsSync(fixture.layout.restorePending)).toBe(true);
  });

  it('with the writer lock held past the wait and the restore still pending, a reader is refused as a writer is: the store in use (exit 3, not an integrity failure), naming the holder and what to do; nothing is written', async () => {
    await restoreKilledAt('swapped');
    const holder = await holdWriterLock(fixture.temp.dir, { lockOnly: true });
    try {
      const before = storeFilesSnapshot(fixture.temp.dir);
      const inUse = `the store is in use by another Custos process (pid ${holder.pid} on `;
      const whatToDo =
        /which is finishing or undoing a `custos restore` \(restore-pending\.json is there\) and still holds the store's writer lock after a few seconds; nothing was read\. Wait for it to finish, then run the command again/;
      const listed = await runCustos(['case', 'list'], { store: fixture.temp.dir });
      expect(listed.status, listed.stderr).toBe(3);
      expect(listed.stderr).toMatch(WAITING);
      expect(listed.stderr).toContain(inUse);
      expect(listed.stderr).toMatch(whatToDo);
      const audit = await runCustos(['audit'], { store: fixture.temp.dir, json: true });
      expect(audit.status, audit.stderr).toBe(3);
      expect(audit.stderr).toContain(inUse);
      expect(audit.stderr).toMatch(whatToDo);
      expect(storeFilesSnapshot(fixture.temp.dir)).toEqual(before);
      expect(fs.existsSync(fixture.layout.restorePending)).toBe(true);
    } finally {
      await holder.kill();
    }
  });

  it('with the writer lock held past the wait and a marker the next write would refuse (not one this store wrote), the audit still reports that marker (exit 1), not the store in use', async () => {
    await restoreKilledAt('swapped');
    fs.writeFileSync(fixture.layout.restorePending, 'not a marker\n');
    const holder = await holdWriterLock(fixture.temp.dir, { lockOnly: true });
    try {
      const audit = await runCustos(['audit'], { store: fixture.temp.dir, json: true });
      expect(audit.status, audit.stderr).toBe(1);
      expect(audit.stderr).toMatch(WAITING);
      const report = JSON.parse(audit.stdout) as AuditReport;
      expect(report.problems.map((p) => p.subject)).toContain('restore-pending.json');
    } finally {
      await holder.kill();
    }
  });
});
