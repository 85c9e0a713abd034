import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import canonicalize from 'canonicalize';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { AuditReport } from '../../../shared/domain.js';
import { type LedgerRow, readLedgerRows, signedBody } from '../../support/ledger-rows.js';
import { type CustosResult, runCustos } from '../../support/run-custos.js';
import { type SeededEvidence, type SeededItem, seedStore } from '../../support/seed-store.js';
import {
  dropAppendOnlyTriggers,
  openRawDatabase,
  recreateAppendOnlyTriggers,
  sqliteShell,
} from '../../support/sqlite.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';

/** `custos audit` run twice at once, as a person reads it and with --json. */
interface Audit {
  readonly text: CustosResult;
  readonly json: CustosResult;
  readonly report: AuditReport;
}

// Each test runs two `custos audit` processes at once: allow for a busy machine (a bound, not a timing assertion).
describe('custos audit', { timeout: 120_000 }, () => {
  let temp: TempStore;
  let seeded: SeededEvidence;
  /** The item whose evidence each test tampers with (not the first, which carries the note and tag). */
  let victim: SeededItem;
  let other: SeededItem;

  beforeEach(async () => {
    temp = makeTempStore({ caseNumber: 'AUD-1' });
    // Ledger: 1 store.init, 2 case.create, 3–5 item.import, 6 item.note, 7 item.tag.
    seeded = await seedStore(temp, { files: 3 });
    victim = seeded.items[1] as SeededItem;
    other = seeded.items[2] as SeededItem;
  });
  afterEach(() => temp.remove());

  async function audit(): Promise<Audit> {
    const [text, json] = await Promise.all([
      runCustos(['audit'], { store: temp.dir }),
      runCustos(['audit'], { store: temp.dir, json: true }),
    ]);
    let report: AuditReport;
    try {
      report = JSON.parse(json.stdout) as AuditReport;
    } catch {
      throw new Error(
        `custos --json audit printed no JSON (exit ${json.status}):\n${json.stdout}\n${json.stderr}`,
      );
    }
    return { text, json, report };
  }

  /** Asserts exit 1 from both runs and a problem on `subject` whose text matches every pattern. */
  function expectProblem(result: Audit, subject: string, ...patterns: RegExp[]): void {
    expect(result.text.status).toBe(1);
    expect(result.json.status).toBe(1);
    expect(result.report.clean).toBe(false);
    const named = result.report.problems.filter((p) => p.subject === subject);
    expect(
      named,
      `no problem named "${subject}" in ${JSON.stringify(result.report.problems, null, 2)}`,
    ).not.toHaveLength(0);
    for (const pattern of patterns) expect(named.map((p) => p.problem).join('\n')).toMatch(pattern);
    expect(result.text.stdout).toContain(`PROBLEM  ${subject}: `);
    expect(result.text.stdout).toMatch(/FAILED: \d+ problem\(s\) found\./);
  }

  const subjects = (result: Audit) => result.report.problems.map((p) => p.subject);

  test('an untouched store audits clean, exit 0', async () => {
    const result = await audit();
    expect(result.text.status).toBe(0);
    expect(result.text.stdout).toContain('Clean: everything matches.');
    expect(result.json.status).toBe(0);
    expect(result.report).toMatchObject({
      clean: true,
      problems: [],
      notices: [],
      counts: { items: 3, artifacts: 3, blobs: 3, ledgerEntries: seeded.headSeq },
    });
  });

  test('a blob with one byte flipped is named, with the item it belongs to', async () => {
    const file = temp.blobPath(victim.sha256);
    fs.chmodSync(file, 0o644);
    const bytes = fs.readFileSync(file);
    bytes[10] = (bytes[10] ?? 0) ^ 0x01;
    fs.writeFileSync(file, bytes);
    fs.chmodSync(file, 0o444);

    const result = await audit();
    const nowHashes = createHash('sha256').update(bytes).digest('hex');
    expectProblem(
      result,
      `blob ${victim.sha256}`,
      /content changed/,
      new RegExp(nowHashes),
      new RegExp(`item ${victim.id}`),
    );
    expect(subjects(result)).toEqual([`blob ${victim.sha256}`]);
  });

  test('a deleted blob is named, with the item it belongs to', async () => {
    fs.unlinkSync(temp.blobPath(victim.sha256));

    const result = await audit();
    expectProblem(
      result,
      `blob ${victim.sha256}`,
      /missing from the blob folder/,
      new RegExp(`item ${victim.id}`),
    );
    expect(subjects(result)).toEqual([`blob ${victim.sha256}`]);
  });

  /** Rows edited with the sqlite3 shell after dropping the table's triggers, as an attacker would. */
  const ROW_TAMPERING: {
    readonly what: string;
    readonly sql: () => string;
    readonly subject: () => string;
    readonly problem: () => RegExp;
  }[] = [
    {
      what: "an artifact row pointed at another item's blob",
      sql: () =>
        `${dropAppendOnlyTriggers('artifacts')} UPDATE artifacts SET sha256 = '${other.sha256}', size = ${other.size} WHERE item_id = '${victim.id}';`,
      subject: () => `artifact 1 (original) of item ${victim.id}`,
      problem: () => new RegExp(`sha256 is ${other.sha256}, the capture record says ${victim.sha256}`),
    },
    {
      what: "an artifact row's media type edited",
      sql: () =>
        `${dropAppendOnlyTriggers('artifacts')} UPDATE artifacts SET media_type = 'image/jpeg' WHERE item_id = '${victim.id}';`,
      subject: () => `artifact 1 (original) of item ${victim.id}`,
      problem: () => /mediaType is image\/jpeg, the capture record says text\/plain/,
    },
    {
      what: 'an artifact row deleted',
      sql: () =>
        `${dropAppendOnlyTriggers('artifacts')} DELETE FROM artifacts WHERE item_id = '${victim.id}';`,
      subject: () => `item ${victim.id}`,
      problem: () => /the record lists 1 artifacts, the store holds 0/,
    },
    {
      what: "a note's text edited",
      sql: () =>
        `${dropAppendOnlyTriggers('annotations')} UPDATE annotations SET text = 'nothing seen' WHERE kind = 'note';`,
      subject: () => `note 1 on item ${seeded.items[0]?.id}`,
      problem: () => new RegExp(`does not match its custody entry ${seeded.noteSeq}`),
    },
    {
      // A truncated tail leaves no gap in the chain; the row that entry vouched for gives it away.
      what: 'the last ledger entry deleted',
      sql: () => `${dropAppendOnlyTriggers('ledger')} DELETE FROM ledger WHERE seq = ${seeded.headSeq};`,
      subject: () => `tag 2 on item ${seeded.items[0]?.id}`,
      problem: () => new RegExp(`does not match its custody entry ${seeded.headSeq}`),
    },
  ];

  test.each(ROW_TAMPERING)(
    '$what (triggers dropped first) is named by what it affects',
    async ({ sql, subject, problem }) => {
      sqliteShell(temp.dir, sql());

      const result = await audit();
      expectProblem(result, subject(), problem());
    },
  );

  test('an item deleted with its artifacts (triggers dropped first) is named by the custody entry that recorded it', async () => {
    sqliteShell(
      temp.dir,
      `${dropAppendOnlyTriggers('artifacts')} ${dropAppendOnlyTriggers('items')}
       DELETE FROM artifacts WHERE item_id = '${victim.id}';
       DELETE FROM items WHERE id = '${victim.id}';`,
    );

    const result = await audit();
    expectProblem(
      result,
      `item ${victim.id}`,
      new RegExp(`custody entry ${victim.seq} records it, but the store no longer holds it`),
    );
    // Its blob stays on disk, now referenced by nothing: reported, and still not deleted.
    expect(result.report.notices.map((n) => n.subject)).toEqual([`blob ${victim.sha256}`]);
    expect(fs.existsSync(temp.blobPath(victim.sha256))).toBe(true);
  });

  test('a case renamed (its trigger dropped first) is named with the title its custody entry signed', async () => {
    sqliteShell(
      temp.dir,
      `${dropAppendOnlyTriggers('cases')} UPDATE cases SET title = 'Other matter' WHERE id = '${temp.caseId}';`,
    );

    const result = await audit();
    expectProblem(
      result,
      `case AUD-1 (${temp.caseId})`,
      /title is "Other matter", but custody entry 2 signed/,
    );
  });

  test('a duplicated annotation row (inserted behind Custos) is named: one custody entry, two rows', async () => {
    sqliteShell(
      temp.dir,
      `INSERT INTO annotations (item_id, kind, text, created_at, investigator_id, ledger_seq)
         SELECT item_id, kind, text, created_at, investigator_id, ledger_seq FROM annotations WHERE ledger_seq = ${seeded.noteSeq};`,
    );
    const db = openRawDatabase(temp.dir, { readonly: true });
    const duplicate = (db.prepare('SELECT max(id) AS id FROM annotations').get() as { id: number }).id;
    db.close();
    const result = await audit();
    expectProblem(
      result,
      `note ${duplicate} on item ${seeded.items[0]?.id}`,
      new RegExp(`a second row for custody entry ${seeded.noteSeq}, which recorded one note`),
    );
  });

  test('a case deleted (its trigger dropped first) is named by the custody entry that created it', async () => {
    sqliteShell(
      temp.dir,
      `${dropAppendOnlyTriggers('cases')} PRAGMA foreign_keys = OFF; DELETE FROM cases WHERE id = '${temp.caseId}';`,
    );

    const result = await audit();
    expectProblem(
      result,
      `case ${temp.caseId}`,
      /custody entry 2 records its creation, but the store no longer holds it/,
    );
  });

  test("an item's capture record rewritten with a matching digest is caught by the digest signed in its custody entry", async () => {
    const db = openRawDatabase(temp.dir, { readonly: true });
    const row = db.prepare('SELECT record FROM items WHERE id = ?').get(victim.id) as { record: string };
    db.close();
    const record = JSON.parse(row.record) as { metadata: Record<string, unknown> };
    record.metadata.originalName = 'innocent.txt';
    const forged = canonicalize(record) as string;
    const digest = createHash('sha256').update(forged, 'utf8').digest('hex');
    sqliteShell(
      temp.dir,
      `${dropAppendOnlyTriggers('items')} UPDATE items SET record = '${forged.replaceAll("'", "''")}', digest = '${digest}' WHERE id = '${victim.id}';`,
    );

    const result = await audit();
    expectProblem(
      result,
      `item ${victim.id}`,
      new RegExp(`differs from the one signed in custody entry ${victim.seq}`),
    );
  });

  test('a ledger entry edited after the triggers were dropped is named by its sequence number', async () => {
    sqliteShell(
      temp.dir,
      `${dropAppendOnlyTriggers('ledger')} UPDATE ledger SET details = '{"text":"nothing was seen"}' WHERE seq = ${seeded.noteSeq};`,
    );

    const result = await audit();
    expectProblem(result, `ledger entry ${seeded.noteSeq}`, /content changed/);
    // The note row no longer matches the entry that vouches for it, either.
    expect(subjects(result)).toContain(`note 1 on item ${seeded.items[0]?.id}`);
  });

  test('a ledger entry edited to hold what canonical JSON cannot encode (1e400) is named as changed (exit 1), as is the note that entry vouched for', async () => {
    sqliteShell(
      temp.dir,
      `${dropAppendOnlyTriggers('ledger')} UPDATE ledger SET details = '{"n":1e400}' WHERE seq = ${seeded.noteSeq};`,
    );

    const result = await audit();
    expectProblem(
      result,
      `ledger entry ${seeded.noteSeq}`,
      new RegExp(`entry ${seeded.noteSeq} cannot be encoded as canonical JSON .*: the entry was changed`),
    );
    // Before, the audit stopped on the first such entry (exit 3) and named nothing.
    expect(subjects(result)).toContain(`note 1 on item ${seeded.items[0]?.id}`);
  });

  test('a ledger entry edited, re-hashed and re-linked by someone without the key fails on its signature', async () => {
    const rows = readLedgerRows(temp.dir);
    const forged: LedgerRow[] = [];
    let prevHash = '0'.repeat(64);
    for (const row of rows) {
      const changed = { ...row, prev_hash: prevHash };
      if (row.action === 'case.create')
        changed.details = JSON.stringify({ ...JSON.parse(row.details), title: 'A different case' });
      changed.hash = createHash('sha256').update(signedBody(changed), 'utf8').digest('hex');
      prevHash = changed.hash;
      forged.push(changed);
    }
    const recreate = recreateAppendOnlyTriggers(temp.dir, 'ledger');
    sqliteShell(temp.dir, dropAppendOnlyTriggers('ledger'));
    const db = openRawDatabase(temp.dir);
    try {
      const update = db.prepare(
        'UPDATE ledger SET details = @details, prev_hash = @prev_hash, hash = @hash WHERE seq = @seq',
      );
      // Hashes are UNIQUE: write them from the head backwards so no new hash meets an old one.
      db.transaction(() => {
        for (const row of [...forged].reverse()) update.run(row);
      })();
    } finally {
      db.close();
    }
    sqliteShell(temp.dir, recreate);

    const result = await audit();
    for (const row of forged.slice(1))
      expectProblem(result, `ledger entry ${row.seq}`, /signature does not verify/);
    // Besides the signatures, the anchor outside the database no longer finds its head, and the
    // case differs from its (forged) creation entry's title.
    const others = result.report.problems.filter((p) => !/signature does not verify/.test(p.problem));
    expect(others.map((p) => p.subject)).toEqual(['store anchor store.json', `case AUD-1 (${temp.caseId})`]);
    expectProblem(result, 'store anchor store.json', /its history was replaced/);
    expect(subjects(result)).not.toContain('ledger entry 1');
  });

  test('a deleted ledger entry is named: the chain gap and the item it created', async () => {
    sqliteShell(
      temp.dir,
      `${dropAppendOnlyTriggers('ledger')} DELETE FROM ledger WHERE seq = ${victim.seq};`,
    );

    const result = await audit();
    expectProblem(
      result,
      `ledger entry ${victim.seq + 1}`,
      new RegExp(`entries ${victim.seq} are missing`),
      /chain broken/,
    );
    expectProblem(
      result,
      `item ${victim.id}`,
      new RegExp(`custody entry that created it \\(${victim.seq}\\) is missing`),
    );
  });

  test('two ledger entries swapped are both named', async () => {
    const a = victim.seq;
    const b = other.seq;
    sqliteShell(
      temp.dir,
      `${dropAppendOnlyTriggers('ledger')}
       UPDATE ledger SET seq = -seq WHERE seq IN (${a}, ${b});
       UPDATE ledger SET seq = ${b} WHERE seq = -${a};
       UPDATE ledger SET seq = ${a} WHERE seq = -${b};`,
    );

    const result = await audit();
    expectProblem(result, `ledger entry ${a}`, /chain broken|content changed/);
    expectProblem(result, `ledger entry ${b}`, /chain broken|content changed/);
  });

  test('a signature replaced by another valid signature (of another entry) is named', async () => {
    const donor = readLedgerRows(temp.dir).find((row) => row.seq === 2) as LedgerRow;
    sqliteShell(
      temp.dir,
      `${dropAppendOnlyTriggers('ledger')} UPDATE ledger SET signature = '${donor.signature}' WHERE seq = ${victim.seq};
       ${recreateAppendOnlyTriggers(temp.dir, 'ledger')}`,
    );

    const result = await audit();
    expectProblem(result, `ledger entry ${victim.seq}`, /signature does not verify/);
    expect(subjects(result)).toEqual([`ledger entry ${victim.seq}`]);
  });

  test.each([
    ['64 random bytes', randomBytes(64).toString('base64')],
    ['text that is not base64', 'not a signature at all'],
    ['an empty string', ''],
  ])('a signature replaced by garbage (%s) is named', async (_what, garbage) => {
    sqliteShell(
      temp.dir,
      `${dropAppendOnlyTriggers('ledger')} UPDATE ledger SET signature = '${garbage}' WHERE seq = ${seeded.noteSeq};
       ${recreateAppendOnlyTriggers(temp.dir, 'ledger')}`,
    );

    const result = await audit();
    expectProblem(result, `ledger entry ${seeded.noteSeq}`, /signature does not verify/);
    expect(subjects(result)).toEqual([`ledger entry ${seeded.noteSeq}`]);
  });

  test('a blob no item references is reported as a notice, without failing the audit or being deleted', async () => {
    const store = temp.open();
    let orphan: string;
    try {
      orphan = (
        await store.blobs.putBuffer(Buffer.from('written, then the import was killed before its commit'))
      ).sha256;
    } finally {
      store.close();
    }
    const file = temp.blobPath(orphan);

    const result = await audit();
    expect(result.text.status).toBe(0);
    expect(result.json.status).toBe(0);
    expect(result.report.clean).toBe(true);
    expect(result.report.notices).toEqual([
      { subject: `blob ${orphan}`, problem: expect.stringMatching(/no item references it.*not deleted/) },
    ]);
    expect(result.report.counts.blobs).toBe(4);
    expect(result.text.stdout).toContain(`notice   blob ${orphan}: `);
    expect(fs.existsSync(file)).toBe(true);
  });
});
