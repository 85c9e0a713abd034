/** Queries over the tables of received bundles (migration 003). */
import type { ReadableDB, WritableDB } from '../store/database.js';

/** A bundle this store has received. */
export interface ReceivedBundleRow {
  readonly zipSha256: string;
  readonly fileSha256: string;
  readonly fileName: string;
  readonly receivedAt: string;
  readonly ledgerSeq: number;
  readonly caseId: string;
  readonly signerFingerprint: string;
  readonly signerPem: string;
  readonly exporter: string;
  readonly exportedAt: string;
  readonly manifest: string;
  readonly manifestSig: string;
}

/** The record of a bundle received before, if any. */
export function findReceivedBundle(db: ReadableDB, zipSha256: string): ReceivedBundleRow | undefined {
  return db
    .prepare(
      `SELECT zip_sha256 AS zipSha256, file_sha256 AS fileSha256, file_name AS fileName, received_at AS receivedAt,
              ledger_seq AS ledgerSeq, case_id AS caseId, signer_fingerprint AS signerFingerprint, signer_pem AS signerPem,
              exporter, exported_at AS exportedAt, manifest, manifest_sig AS manifestSig
       FROM received_bundles WHERE zip_sha256 = ?`,
    )
    .get(zipSha256) as ReceivedBundleRow | undefined;
}

/** Records a received bundle. */
export function insertReceivedBundle(db: WritableDB, row: ReceivedBundleRow): void {
  db.prepare(
    `INSERT INTO received_bundles (zip_sha256, file_sha256, file_name, received_at, ledger_seq, case_id, signer_fingerprint,
                                   signer_pem, exporter, exported_at, manifest, manifest_sig)
     VALUES (@zipSha256, @fileSha256, @fileName, @receivedAt, @ledgerSeq, @caseId, @signerFingerprint,
             @signerPem, @exporter, @exportedAt, @manifest, @manifestSig)`,
  ).run(row);
}

/** Keeps one line of the sender's custody.jsonl: the full entry's JSON, or null for an omitted one. */
export function insertReceivedCustodyLine(
  db: WritableDB,
  line: { zipSha256: string; line: number; seq: number; hash: string; entry: string | null },
): void {
  db.prepare(
    'INSERT INTO received_custody (zip_sha256, line, seq, hash, entry) VALUES (@zipSha256, @line, @seq, @hash, @entry)',
  ).run(line);
}

/** Remembers a public key that signed received custody entries (the first bundle that brought it). */
export function insertReceivedKey(
  db: WritableDB,
  key: { fingerprint: string; pem: string; zipSha256: string },
): void {
  db.prepare(
    'INSERT OR IGNORE INTO received_keys (key_fingerprint, public_key_pem, first_bundle) VALUES (?, ?, ?)',
  ).run(key.fingerprint, key.pem, key.zipSha256);
}

/** How many custody lines of a received bundle are kept. */
export function countReceivedCustody(db: ReadableDB, zipSha256: string): number {
  return (
    db.prepare('SELECT count(*) AS n FROM received_custody WHERE zip_sha256 = ?').get(zipSha256) as {
      n: number;
    }
  ).n;
}

/**
 * Records a token that came with a received item, as granted (it was verified on receipt against
 * this store's trusted roots): the item then keeps its original trusted time here and in re-exports.
 */
export function insertReceivedToken(
  db: WritableDB,
  token: {
    readonly covers: string;
    readonly imprint: string;
    readonly tsaUrl: string;
    readonly tsaName: string;
    readonly genTime: string;
    readonly tokenSha256: string;
    readonly chainSha256: string;
    readonly at: string;
  },
): void {
  db.prepare(
    `INSERT INTO timestamp_tokens (covers, imprint, status, requested_at, tsa_url, tsa_name, gen_time, token_sha256, chain_sha256, attempts, last_attempt_at)
     VALUES (@covers, @imprint, 'granted', @at, @tsaUrl, @tsaName, @genTime, @tokenSha256, @chainSha256, 0, @at)`,
  ).run(token);
}

/** The public key of a received signer, by fingerprint. */
export function findReceivedKey(db: ReadableDB, fingerprint: string): string | undefined {
  const row = db
    .prepare('SELECT public_key_pem AS pem FROM received_keys WHERE key_fingerprint = ?')
    .get(fingerprint) as { pem: string } | undefined;
  return row?.pem;
}
