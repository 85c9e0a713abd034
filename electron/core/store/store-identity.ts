import type { Investigator, LedgerEntry } from '../../../shared/domain.js';
import { canonicalJson } from './canonical-json.js';
import type { ReadableDB } from './database.js';
import { getLedgerEntry, ledgerEntryBody, ledgerEntryHash } from './ledger.js';
import {
  type KeyProtector,
  keptKeyFingerprint,
  keyFingerprint,
  otherKeyDifference,
  verifySignature,
} from './signing-key.js';

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
 * How the private key kept for an investigator differs from the key the ledger records: null when
 * it matches, or when there is nothing to read here (a sealed key without the app's protector is
 * checked where the app opens the store, with it; a missing key is reported when something signs).
 * A sealed key is unsealed with `protector` and checked like a plain one: a sealed file swapped for
 * another key sealed by the same keychain is as wrong as a swapped PEM.
 */
export function keyFileDifference(
  keysDir: string,
  investigator: Investigator,
  protector?: KeyProtector,
): string | null {
  const kept = keptKeyFingerprint(keysDir, investigator.keyFingerprint, protector);
  if (!kept) return null;
  if ('unreadable' in kept)
    return `the signing key file ${kept.file} cannot be read as a private key (${kept.unreadable})`;
  if (kept.fingerprint === investigator.keyFingerprint) return null;
  return `${otherKeyDifference(kept.file, kept.fingerprint, investigator.keyFingerprint)} for ${investigator.name}`;
}

function safeFingerprint(publicKeyPem: string): string | null {
  try {
    return keyFingerprint(publicKeyPem);
  } catch {
    return null;
  }
}
