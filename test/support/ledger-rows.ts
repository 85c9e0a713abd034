import canonicalize from 'canonicalize';
import { openRawDatabase } from './sqlite.js';

/** A custody ledger row exactly as stored on disk. */
export interface LedgerRow {
  seq: number;
  time: string;
  time_zone: string;
  investigator_id: string;
  key_fingerprint: string;
  action: string;
  case_id: string | null;
  subject: string;
  details: string;
  prev_hash: string;
  hash: string;
  signature: string;
}

/** Every ledger row of the store in `dir`, in sequence order, read without Custos code. */
export function readLedgerRows(dir: string): LedgerRow[] {
  const db = openRawDatabase(dir, { readonly: true });
  try {
    return db.prepare('SELECT * FROM ledger ORDER BY seq').all() as LedgerRow[];
  } finally {
    db.close();
  }
}

/**
 * The signed body of a row as RFC 8785 canonical JSON, rebuilt from its columns by the rules
 * docs/BUNDLE-FORMAT.md states ("custody.jsonl"), not by Custos's own code, so that a change in
 * either is caught.
 */
export function signedBody(row: LedgerRow): string {
  const text = canonicalize({
    seq: row.seq,
    time: row.time,
    timeZone: row.time_zone,
    actor: { investigatorId: row.investigator_id, keyFingerprint: row.key_fingerprint },
    action: row.action,
    caseId: row.case_id,
    subject: row.subject,
    details: JSON.parse(row.details),
    prevHash: row.prev_hash,
  });
  if (text === undefined) throw new Error(`ledger entry ${row.seq} cannot be canonicalised`);
  return text;
}
