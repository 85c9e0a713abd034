import { createPrivateKey, createPublicKey } from 'node:crypto';
import fs from 'node:fs';
import type { Investigator, LedgerEntry } from '../../../shared/domain.js';
import { canonicalJson } from './canonical-json.js';
import type { ReadableDB } from './database.js';
import { getLedgerEntry, ledgerEntryBody, ledgerEntryHash } from './ledger.js';
import {
  type KeyProtector,
  keptKeyFingerprint,
  keyFingerprint,
  otherKeyDifference,
  privateKeyPath,
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

/** The one key a store's ledger is signed with, found without the investigators table. */
export interface StoreSigningKey {
  readonly fingerprint: string;
  /** Its public key (any PEM with that fingerprint is it), or undefined when none is at hand. */
  readonly publicKeyPem: string | undefined;
  /** Where it was found, in words. */
  readonly source: string;
}

/**
 * The store's signing key when no anchor names it: the workstation's signing key file in the
 * store's `keys/` folder (its name is its fingerprint; plain or sealed), else the key that ledger
 * entry 1 (`store.init`) introduces. Every store has exactly one signing identity; the
 * investigators table, which whoever edits the database can add to, is never the reference (its
 * PEMs are used only when one has the reference's fingerprint, which only that key has). Null when
 * the store has neither.
 */
export function storeSigningKey(db: ReadableDB, keysDir: string): StoreSigningKey | null {
  const files = keyFileFingerprints(keysDir);
  const introduced = introducedByFirstEntry(db);
  const introducedFingerprint = introduced === undefined ? null : safeFingerprint(introduced);
  let fingerprint: string;
  let source: string;
  if (files.length === 1 && files[0] !== undefined) {
    fingerprint = files[0];
    source = `the workstation's signing key file in ${keysDir}`;
  } else if (introducedFingerprint !== null) {
    fingerprint = introducedFingerprint;
    source = 'the key ledger entry 1 (store.init) introduces';
  } else return null;
  const candidates = [
    publicKeyOfFile(keysDir, fingerprint),
    introduced,
    ...(db.prepare('SELECT public_key_pem FROM investigators').pluck().all() as string[]),
  ];
  const publicKeyPem = candidates.find((pem) => pem !== undefined && safeFingerprint(pem) === fingerprint);
  return { fingerprint, publicKeyPem, source };
}

/** The fingerprints named by the key files (`<fingerprint>.pem`, `<fingerprint>.sealed`) in `keysDir`. */
function keyFileFingerprints(keysDir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(keysDir);
  } catch {
    return [];
  }
  const found = new Set<string>();
  for (const name of names) {
    const match = /^([0-9a-f]{64})\.(pem|sealed)$/.exec(name);
    if (match?.[1]) found.add(match[1]);
  }
  return [...found];
}

function introducedByFirstEntry(db: ReadableDB): string | undefined {
  let first: LedgerEntry | undefined;
  try {
    first = getLedgerEntry(db, 1);
  } catch {
    return undefined; // an entry that cannot be read is the chain check's to name
  }
  const pem = first?.action === 'store.init' ? first.details.publicKeyPem : undefined;
  return typeof pem === 'string' ? pem : undefined;
}

/** The public half of the plain key file of `fingerprint`, or undefined (none, sealed, unreadable). */
function publicKeyOfFile(keysDir: string, fingerprint: string): string | undefined {
  try {
    const key = createPrivateKey(fs.readFileSync(privateKeyPath(keysDir, fingerprint)));
    return createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString();
  } catch {
    return undefined;
  }
}
