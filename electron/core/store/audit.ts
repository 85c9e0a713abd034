import type { AuditReport, CaptureRecord, Problem, Progress } from '../../../shared/domain.js';
import { auditReceivedBundles } from '../bundle/audit-received.js';
import { auditWatches } from '../watch/audit-watches.js';
import { auditTimestampTokens } from './audit-timestamps.js';
import type { BlobStore } from './blob-store.js';
import { canonicalDigest, sha256Hex } from './canonical-json.js';
import type { ReadableDB } from './database.js';
import { getLedgerEntry, iterateLedger, LedgerChainChecker } from './ledger.js';
import * as q from './queries.js';

/**
 * `custos audit` (DESIGN.md invariant 5): SQLite's integrity check, every item digest recomputed
 * from its record and matched against its artifacts and the signed custody entry that created it,
 * every blob re-hashed, the ledger chain walked and every signature checked. Each difference is
 * named by what it affects. Blobs that no item references (left by an interrupted write) are
 * reported as notices, never deleted.
 *
 * Runs inside one read transaction so that it checks a consistent snapshot even while another
 * process writes.
 */
export async function runAudit(
  db: ReadableDB,
  blobs: BlobStore,
  onProgress?: (progress: Progress) => void,
): Promise<AuditReport> {
  const problems: Problem[] = [];
  const notices: Problem[] = [];
  db.exec('BEGIN'); // a read snapshot for the whole audit (WAL)
  try {
    for (const row of db.pragma('integrity_check') as { integrity_check: string }[]) {
      if (row.integrity_check !== 'ok')
        problems.push({ subject: 'database', problem: `SQLite integrity check: ${row.integrity_check}` });
    }

    const keys = new Map(q.listInvestigators(db).map((i) => [i.keyFingerprint, i.publicKeyPem]));
    const chain = new LedgerChainChecker((fingerprint) => keys.get(fingerprint));
    // The first entry naming each item: an item deleted from the tables leaves its entries behind.
    const itemsInLedger = new Map<string, number>();
    for (const entry of iterateLedger(db)) {
      chain.check(entry);
      if (entry.action.startsWith('item.') && !itemsInLedger.has(entry.subject))
        itemsInLedger.set(entry.subject, entry.seq);
    }
    problems.push(...chain.problems);
    const itemExists = db.prepare('SELECT 1 FROM items WHERE id = ?').pluck();
    for (const [itemId, seq] of itemsInLedger) {
      if (itemExists.get(itemId) === undefined) {
        problems.push({
          subject: `item ${itemId}`,
          problem: `missing: custody entry ${seq} records it, but the store no longer holds it`,
        });
      }
    }

    problems.push(...checkCases(db));

    let items = 0;
    let artifacts = 0;
    for (const item of q.iterateItems(db)) {
      items++;
      const rows = q.listArtifacts(db, item.id);
      artifacts += rows.length;
      problems.push(...checkItem(db, item, rows));
    }

    for (const annotation of q.iterateAnnotations(db)) {
      const entry = getLedgerEntry(db, annotation.ledger_seq);
      const field = annotation.kind === 'note' ? 'text' : 'tag';
      if (
        !entry ||
        entry.subject !== annotation.item_id ||
        entry.action !== `item.${annotation.kind}` ||
        entry.details[field] !== annotation.text
      ) {
        problems.push({
          subject: `${annotation.kind} ${annotation.id} on item ${annotation.item_id}`,
          problem: `does not match its custody entry ${annotation.ledger_seq}`,
        });
      }
    }

    const referenced = [...q.iterateReferencedBlobs(db)];
    const totalBytes = referenced.reduce((sum, blob) => sum + blob.size, 0);
    let bytesDone = 0;
    onProgress?.({ done: 0, total: totalBytes, label: 're-hashing blobs' });
    for (const blob of referenced) {
      const found = await blobs.rehash(blob.sha256, (n) => {
        bytesDone += n;
        onProgress?.({ done: bytesDone, total: totalBytes, label: 're-hashing blobs' });
      });
      const owners = q.itemsReferencingBlob(db, blob.sha256).join(', ');
      const subject = `blob ${blob.sha256}`;
      if (!found)
        problems.push({ subject, problem: `missing from the blob folder (artifact of item ${owners})` });
      else if (found.sha256 !== blob.sha256) {
        problems.push({
          subject,
          problem: `content changed: it now hashes to ${found.sha256} (artifact of item ${owners})`,
        });
      } else if (found.size !== blob.size) {
        problems.push({
          subject,
          problem: `size is ${found.size} bytes, the artifact records ${blob.size} (item ${owners})`,
        });
      }
    }

    const timestamps = await auditTimestampTokens(db, blobs);
    problems.push(...timestamps.problems);
    problems.push(...auditReceivedBundles(db));
    problems.push(...auditWatches(db));
    const referencedSet = new Set([...referenced.map((b) => b.sha256), ...timestamps.referencedBlobs]);
    let blobsOnDisk = 0;
    for await (const name of blobs.list()) {
      blobsOnDisk++;
      if (!referencedSet.has(name)) {
        notices.push({
          subject: `blob ${name}`,
          problem: 'no item references it (left by an interrupted capture or import); kept, not deleted',
        });
      }
    }
    for (const temp of await blobs.leftoverTempFiles()) {
      notices.push({
        subject: `temporary file ${temp}`,
        problem: 'left by an interrupted write; holds no committed evidence',
      });
    }

    return {
      clean: problems.length === 0,
      counts: { items, artifacts, blobs: blobsOnDisk, bytes: totalBytes, ledgerEntries: chain.count },
      problems,
      notices,
    };
  } finally {
    db.exec('COMMIT');
  }
}

/** Checks one item: its record parses, hashes to its digest, lists its artifacts, and its creating entry vouches for it. */
function checkItem(db: ReadableDB, item: q.StoredItem, rows: ReturnType<typeof q.listArtifacts>): Problem[] {
  const subject = `item ${item.id}`;
  const problems: Problem[] = [];
  let record: CaptureRecord;
  try {
    record = JSON.parse(item.recordJson) as CaptureRecord;
  } catch {
    return [{ subject, problem: 'its capture record is not valid JSON' }];
  }
  const digest = canonicalDigest(record);
  if (digest !== item.digest || sha256Hex(item.recordJson) !== item.digest) {
    problems.push({
      subject,
      problem: `capture record changed: it hashes to ${digest}, the item's digest is ${item.digest}`,
    });
  }
  if (
    record.itemId !== item.id ||
    record.caseId !== item.caseId ||
    record.kind !== item.kind ||
    record.source !== item.source
  ) {
    problems.push({
      subject,
      problem: 'item row (id, case, kind or source) differs from its capture record',
    });
  }
  const recorded = record.artifacts ?? [];
  if (recorded.length !== rows.length) {
    problems.push({
      subject,
      problem: `the record lists ${recorded.length} artifacts, the store holds ${rows.length}`,
    });
  }
  rows.forEach((row, index) => {
    const expected = recorded[index];
    if (!expected) return;
    for (const field of ['role', 'name', 'mediaType', 'size', 'sha256'] as const) {
      if (row[field] !== expected[field]) {
        problems.push({
          subject: `artifact ${index + 1} (${expected.role}) of item ${item.id}`,
          problem: `${field} is ${String(row[field])}, the capture record says ${String(expected[field])}`,
        });
      }
    }
  });
  const entry = getLedgerEntry(db, item.createdSeq);
  if (!entry)
    problems.push({ subject, problem: `the custody entry that created it (${item.createdSeq}) is missing` });
  else if (entry.subject !== item.id || entry.details.digest !== item.digest) {
    problems.push({
      subject,
      problem: `its digest differs from the one signed in custody entry ${item.createdSeq}`,
    });
  }
  return problems;
}

/**
 * Each case must match the signed `case.create` entry that made it (number, title, description),
 * and each case an entry made must still be held: a renamed, renumbered or deleted case is named.
 */
function checkCases(db: ReadableDB): Problem[] {
  const problems: Problem[] = [];
  const created = new Map<string, { seq: number; details: Readonly<Record<string, unknown>> }>();
  for (const entry of iterateLedger(db)) {
    if (entry.action === 'case.create' && !created.has(entry.subject)) {
      created.set(entry.subject, { seq: entry.seq, details: entry.details });
    }
  }
  for (const row of q.listCases(db)) {
    const entry = created.get(row.id);
    const subject = `case ${row.number} (${row.id})`;
    if (!entry) {
      problems.push({ subject, problem: 'no custody entry records its creation' });
      continue;
    }
    created.delete(row.id);
    for (const field of ['number', 'title', 'description'] as const) {
      const signed = entry.details[field] ?? null;
      if (signed !== row[field]) {
        problems.push({
          subject,
          problem: `${field} is ${JSON.stringify(row[field])}, but custody entry ${entry.seq} signed ${JSON.stringify(signed)}`,
        });
      }
    }
  }
  for (const [caseId, entry] of created) {
    problems.push({
      subject: `case ${caseId}`,
      problem: `missing: custody entry ${entry.seq} records its creation, but the store no longer holds it`,
    });
  }
  return problems;
}
