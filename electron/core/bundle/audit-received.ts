import type { Problem } from '../../../shared/domain.js';
import { sha256Hex } from '../store/canonical-json.js';
import type { ReadableDB } from '../store/database.js';
import { getLedgerEntry } from '../store/ledger.js';
import { keyFingerprint, verifySignature } from '../store/signing-key.js';
import { CustodySegmentChecker } from './custody-check.js';

/** The custody entries that record a received bundle, or a segment pulled from an S3 remote. */
const TRANSFER_ACTIONS: ReadonlySet<string> = new Set(['bundle.receive', 'remote.pull']);

interface ReceivedRow {
  zip_sha256: string;
  file_sha256: string;
  ledger_seq: number;
  signer_fingerprint: string;
  signer_pem: string;
  manifest: string;
  manifest_sig: string;
}

/**
 * The audit's part for received bundles (migration 003): what a store keeps of a sender's bundle
 * (manifest, signature, custody lines, keys) must still be exactly what was received and verified.
 * Each bundle's manifest must verify with the sender's key and match the `bundle.receive` entry
 * (or, for a segment pulled from a remote, the `remote.pull` entry) that recorded it (which this store signed), and the sender's custody lines must still form a
 * signed, hash-linked chain ending at the head the manifest names.
 */
export function auditReceivedBundles(db: ReadableDB): Problem[] {
  const problems: Problem[] = [];
  const keys = new Map<string, string>();
  for (const row of db.prepare('SELECT key_fingerprint, public_key_pem FROM received_keys').all() as {
    key_fingerprint: string;
    public_key_pem: string;
  }[]) {
    if (fingerprintOf(row.public_key_pem) !== row.key_fingerprint) {
      problems.push({
        subject: `received key ${row.key_fingerprint}`,
        problem: 'its public key does not have this fingerprint: the kept key was changed',
      });
    } else keys.set(row.key_fingerprint, row.public_key_pem);
  }
  const lines = db.prepare(
    'SELECT seq, hash, entry FROM received_custody WHERE zip_sha256 = ? ORDER BY line',
  );
  for (const row of db.prepare('SELECT * FROM received_bundles ORDER BY ledger_seq').all() as ReceivedRow[]) {
    const subject = `received bundle ${row.zip_sha256}`;
    const say = (problem: string) => problems.push({ subject, problem });
    if (fingerprintOf(row.signer_pem) !== row.signer_fingerprint) {
      say("the sender's kept public key does not match the sender's fingerprint");
    }
    const manifestBytes = Buffer.from(row.manifest, 'utf8');
    if (!verifySignature(row.signer_pem, manifestBytes, Buffer.from(row.manifest_sig, 'base64'))) {
      say("the kept manifest does not verify with the sender's signature: manifest or signature changed");
    }
    const recorded = getLedgerEntry(db, row.ledger_seq);
    if (
      !recorded ||
      !TRANSFER_ACTIONS.has(recorded.action) ||
      recorded.details.zipSha256 !== row.zip_sha256 ||
      recorded.details.sha256 !== row.file_sha256 ||
      recorded.details.signer !== row.signer_fingerprint ||
      recorded.details.manifestSha256 !== sha256Hex(manifestBytes)
    ) {
      say(
        `does not match the ${recorded?.action ?? 'transfer'} custody entry ${row.ledger_seq} that recorded it`,
      );
    }
    const checker = new CustodySegmentChecker((fpr) =>
      fpr === row.signer_fingerprint ? row.signer_pem : keys.get(fpr),
    );
    for (const line of lines.all(row.zip_sha256) as { seq: number; hash: string; entry: string | null }[]) {
      checker.checkLine(line.entry ?? JSON.stringify({ seq: line.seq, hash: line.hash, omitted: true }));
    }
    for (const p of checker.problems) say(`sender's custody line ${p.line}: ${p.problem}`);
    const head = manifestCustodyHead(row.manifest);
    const span = checker.span;
    if (!head || !span || span.lastSeq !== head.lastSeq || span.headHash !== head.headHash) {
      say("the kept custody lines no longer end at the head the sender's manifest names");
    }
  }
  return problems;
}

function fingerprintOf(pem: string): string | null {
  try {
    return keyFingerprint(pem);
  } catch {
    return null;
  }
}

function manifestCustodyHead(manifest: string): { lastSeq: number; headHash: string } | null {
  try {
    const custody = (JSON.parse(manifest) as { custody?: { lastSeq?: unknown; headHash?: unknown } }).custody;
    return typeof custody?.lastSeq === 'number' && typeof custody.headHash === 'string'
      ? { lastSeq: custody.lastSeq, headHash: custody.headHash }
      : null;
  } catch {
    return null;
  }
}
