/**
 * custody.jsonl: the segment of the one global custody ledger that a bundle carries. It runs from
 * the first entry of the case (or of an earlier entry adding a trusted root) to the ledger head at
 * export, one JSON object per line: the full signed entry when it concerns the case or an exported
 * item, or adds a trusted root, else a stub `{"seq","hash","omitted"}` that keeps the chain
 * checkable without telling other cases' business. custody-check.ts has the lines' text and the
 * checker.
 */
import type { LedgerEntry } from '../../../shared/domain.js';
import type { ReadableDB } from '../store/database.js';
import { iterateLedger } from '../store/ledger.js';
import type { CustodyLine } from './custody-check.js';

/** Which entries of the ledger a bundle shows in full. */
export interface CustodySelection {
  readonly caseId: string;
  /** Items exported: their entries are shown. */
  readonly exportedItemIds: ReadonlySet<string>;
  /** Every item of the case: entries about the ones not exported are stubs. */
  readonly caseItemIds: ReadonlySet<string>;
}

/** The first sequence number of a case's entries, or undefined when the ledger has none. */
export function firstCaseSeq(db: ReadableDB, caseId: string): number | undefined {
  const row = db.prepare('SELECT min(seq) AS seq FROM ledger WHERE case_id = ?').get(caseId) as {
    seq: number | null;
  };
  return row.seq ?? undefined;
}

/**
 * Store-wide entries every bundle shows in full: adding a trusted root decides which timestamps the
 * investigator trusted, and a report that says so must be able to point at the signed entry.
 */
const TRUST_ACTIONS: ReadonlySet<string> = new Set(['timestamp.root-added']);

/** The first sequence number of an entry that adds a trusted root, or undefined when none has. */
function firstTrustSeq(db: ReadableDB): number | undefined {
  const row = db
    .prepare(
      `SELECT min(seq) AS seq FROM ledger WHERE action IN (${[...TRUST_ACTIONS].map(() => '?').join(',')})`,
    )
    .get(...TRUST_ACTIONS) as { seq: number | null };
  return row.seq ?? undefined;
}

/** Whether an entry is shown in full in the bundle of this selection. */
export function showsInFull(entry: LedgerEntry, selection: CustodySelection): boolean {
  if (entry.caseId === null && TRUST_ACTIONS.has(entry.action)) return true;
  if (entry.caseId !== selection.caseId) return false;
  return !selection.caseItemIds.has(entry.subject) || selection.exportedItemIds.has(entry.subject);
}

/** The lines of a bundle's custody segment, from the case's first entry (or an earlier trusted root's) to the head. */
export function* custodyLines(db: ReadableDB, selection: CustodySelection): Generator<CustodyLine> {
  const caseFirst = firstCaseSeq(db, selection.caseId);
  if (caseFirst === undefined) return;
  const first = Math.min(caseFirst, firstTrustSeq(db) ?? caseFirst);
  for (const entry of iterateLedger(db)) {
    if (entry.seq < first) continue;
    yield showsInFull(entry, selection) ? entry : { seq: entry.seq, hash: entry.hash, omitted: true };
  }
}
