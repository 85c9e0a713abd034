import type { LedgerEntry, Problem } from '../../../../shared/domain.js';
import type { ReadableDB } from '../database.js';
import { getLedgerEntry } from '../ledger.js';

/** What a history row must agree with: its custody entry's seq, action, subject and details. */
export interface ExpectedEntry {
  /** How the problem names the row (`watch 3f…`, `removal of selector 9a…`). */
  readonly row: string;
  readonly seq: number;
  readonly action: string;
  /** The entry's subject (the watch's or selector's id). */
  readonly subject: string;
  /** How the subject is named in the message (`watch`, `selector`). */
  readonly kind: string;
  /** Each field the entry's details must hold with exactly this value (absent = null). */
  readonly fields: Readonly<Record<string, unknown>>;
  /** The row's own copies of the entry's case, time and actor, where it keeps them. */
  readonly entry?: {
    readonly caseId?: string | null;
    readonly time?: string;
    readonly investigatorId?: string;
  };
}

/**
 * The audit's comparison of an append-only history row with the signed custody entry that
 * recorded it: a row edited behind Custos's back (triggers dropped) is named with what differs.
 */
export function entryDisagreements(db: ReadableDB, expected: ExpectedEntry): Problem[] {
  const { row, seq, action, subject, kind } = expected;
  const entry: LedgerEntry | undefined = getLedgerEntry(db, seq);
  if (!entry || entry.action !== action || entry.subject !== subject)
    return [
      { subject: row, problem: `its custody entry ${seq} (${action} of ${kind} ${subject}) is missing` },
    ];
  const problems: Problem[] = [];
  const signedEntry: Readonly<Record<string, unknown>> = {
    caseId: entry.caseId,
    time: entry.time,
    investigatorId: entry.actor.investigatorId,
  };
  for (const [field, value] of Object.entries(expected.entry ?? {})) {
    if (signedEntry[field] !== value)
      problems.push({
        subject: row,
        problem: `its ${field} is ${JSON.stringify(value)}, its signed custody entry ${seq} says ${JSON.stringify(signedEntry[field])}`,
      });
  }
  for (const [field, value] of Object.entries(expected.fields)) {
    const signed = entry.details[field] ?? null;
    if (signed !== value)
      problems.push({
        subject: row,
        problem: `${field} is ${JSON.stringify(value)}, its signed custody entry ${seq} says ${JSON.stringify(signed)}`,
      });
  }
  return problems;
}
