import { createPrivateKey, createPublicKey } from 'node:crypto';
import fs from 'node:fs';
import type { Investigator, LedgerEntry } from '../../../shared/domain.js';
import { canonicalJson } from './canonical-json.js';
import type { ReadableDB } from './database.js';
import { getLedgerEntry, ledgerEntryBody, ledgerEntryHash } from './ledger.js';
import { keyFingerprint, keyProtection, privateKeyPath, verifySignature } from './signing-key.js';

/** The signed `store.init` entry that introduced an investigator, if the ledger holds one. */
export function introducingEntry(db: ReadableDB, investigatorId: string): LedgerEntry | undefined {
  const seq = db
    .prepare("SELECT seq FROM ledger WHERE subject = ? AND action = 'store.init' ORDER BY seq LIMIT 1")
    .pluck()
    .get(investigatorId) as number | undefined;
  return seq === undefined ? undefined : getLedgerEntry(db, seq);
}

/**
 * How an investigator row differs from the signed `store.init` entry that introduced it (name,
 * agency, badge, key fingerprint, public key), each difference a sentence; empty when it matches.
 * The entry is signed by the key it introduces, so its signature is checked with that key.
 */
export function investigatorDifferences(db: ReadableDB, investigator: Investigator): string[] {
  const entry = introducingEntry(db, investigator.id);
  if (!entry) return ['no store.init custody entry introduces it'];
  const differences: string[] = [];
  const signed = (entry.details.investigator ?? {}) as Record<string, unknown>;
  for (const field of ['name', 'agency', 'badge'] as const) {
    const value = signed[field] ?? null;
    if (value !== investigator[field]) {
      differences.push(
        `${field} is ${JSON.stringify(investigator[field])}, custody entry ${entry.seq} (store.init) signed ${JSON.stringify(value)}`,
      );
    }
  }
  if (entry.details.keyFingerprint !== investigator.keyFingerprint) {
    differences.push(
      `key fingerprint is ${investigator.keyFingerprint}, custody entry ${entry.seq} (store.init) signed ${String(entry.details.keyFingerprint)}`,
    );
  }
  if (entry.details.publicKeyPem !== investigator.publicKeyPem) {
    differences.push(`public key differs from the one custody entry ${entry.seq} (store.init) signed`);
  } else if (safeFingerprint(investigator.publicKeyPem) !== investigator.keyFingerprint) {
    differences.push(`its public key does not have the fingerprint ${investigator.keyFingerprint}`);
  }
  const canonical = canonicalJson(ledgerEntryBody(entry));
  if (
    ledgerEntryHash(ledgerEntryBody(entry)) !== entry.hash ||
    typeof entry.details.publicKeyPem !== 'string' ||
    !verifySignature(
      entry.details.publicKeyPem,
      Buffer.from(canonical, 'utf8'),
      Buffer.from(entry.signature, 'base64'),
    )
  ) {
    differences.push(`custody entry ${entry.seq} (store.init) that introduced it does not verify`);
  }
  return differences;
}

/**
 * How the private key file kept for an investigator differs from the key the ledger records:
 * null when it matches, or when there is no plain key file to read (a key sealed by the app's
 * keychain is checked when it is unsealed; a missing key is reported when something signs).
 */
export function keyFileDifference(keysDir: string, investigator: Investigator): string | null {
  if (keyProtection(keysDir, investigator.keyFingerprint) !== 'file') return null;
  const file = privateKeyPath(keysDir, investigator.keyFingerprint);
  let found: string;
  try {
    const publicPem = createPublicKey(createPrivateKey(fs.readFileSync(file)))
      .export({ type: 'spki', format: 'pem' })
      .toString();
    found = keyFingerprint(publicPem);
  } catch (error) {
    return `the signing key file ${file} cannot be read as a private key (${(error as Error).message})`;
  }
  if (found === investigator.keyFingerprint) return null;
  return `the signing key file ${file} holds another key: its public key's fingerprint is ${found}, the ledger records ${investigator.keyFingerprint} for ${investigator.name}`;
}

function safeFingerprint(publicKeyPem: string): string | null {
  try {
    return keyFingerprint(publicKeyPem);
  } catch {
    return null;
  }
}
