import type { CaptureRecord, Problem } from '../../../../shared/domain.js';
import { canonicalDigest, sha256Hex } from '../canonical-json.js';
import type { ReadableDB } from '../database.js';
import { getLedgerEntry } from '../ledger.js';
import * as q from '../queries.js';
import type { AuditCheck } from './audit-check.js';

/**
 * Every item: its record parses, hashes to its digest, lists its artifact rows, and the custody
 * entry that created it signs that digest (docs/ARCHITECTURE.md, evidence invariant 3).
 */
export const itemCheck: AuditCheck = {
  name: 'items',
  run: ({ db, counts }) => {
    const problems: Problem[] = [];
    for (const item of q.iterateItems(db)) {
      counts.items++;
      const rows = q.listArtifacts(db, item.id);
      counts.artifacts += rows.length;
      problems.push(...checkItem(db, item, rows));
    }
    return { problems };
  },
};

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
