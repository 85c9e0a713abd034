/**
 * custody.jsonl read back: the exact text of its lines and of custody-bodies.jsonl's, and the
 * checker that walks its chain. Apart from custody.ts (which writes the segment from the store) so
 * that verify, which needs no store, does not load the database.
 */
import { createHash } from 'node:crypto';
import type { LedgerEntry } from '../../../shared/domain.js';
import { canonicalJson, sha256Hex } from '../store/canonical-json.js';
import { canonicalEntryBody, ledgerEntryBody } from '../store/ledger-entry-body.js';
import { verifySignature } from '../store/signing-key.js';
import type { OmittedCustodyLine } from './format.js';

/** One line of custody.jsonl. */
export type CustodyLine = LedgerEntry | OmittedCustodyLine;

/** The exact text of one custody.jsonl line (canonical JSON, so the file is reproducible). */
export function custodyLineText(line: CustodyLine): string {
  return `${canonicalJson(line)}\n`;
}

/**
 * The line of custody-bodies.jsonl (format 2) for one custody line: a full entry's body as the exact
 * RFC 8785 bytes its hash and signature cover (so `sha256sum` and `openssl pkeyutl` check them with
 * no canonicaliser), or an omitted line repeated as it is (a stub has no body to show).
 */
export function custodyBodyText(line: CustodyLine): string {
  return 'omitted' in line ? custodyLineText(line) : `${canonicalJson(ledgerEntryBody(line))}\n`;
}

/**
 * Checks a custody entry's Ed25519 signature: the key (PEM), the canonical body it signs, and the
 * signature as the line gives it (base64); on this thread, or on verify's threads (a promise).
 */
export type EntrySignatureCheck = (
  publicKeyPem: string,
  canonicalBody: string,
  signatureBase64: string,
) => boolean | Promise<boolean>;

/** Whether a custody entry's signature verifies, checked on this thread. */
export function entrySignatureValid(
  publicKeyPem: string,
  canonicalBody: string,
  signatureBase64: string,
): boolean {
  return verifySignature(
    publicKeyPem,
    Buffer.from(canonicalBody, 'utf8'),
    Buffer.from(signatureBase64, 'base64'),
  );
}

/** One difference found in custody.jsonl. */
export interface CustodyProblem {
  readonly line: number;
  readonly problem: string;
}

/**
 * Checks custody.jsonl line by line, as it streams: every link (a line's prevHash is the previous
 * line's hash), consecutive sequence numbers, every full entry's hash and signature. Remembers the
 * full entries by subject so items can be matched to the entry that created them. Signatures
 * checked elsewhere (a promise from `checkSignature`) are filed by `settle`, at the place in
 * `problems` their line would have put them, so the problems read the same either way.
 */
export class CustodySegmentChecker {
  readonly problems: CustodyProblem[] = [];
  /** Full entries by subject, in order. */
  readonly entriesBySubject = new Map<string, LedgerEntry[]>();
  /** Hashes of every line (full or stub), for timestamps that cover a ledger head. */
  readonly hashes = new Set<string>();
  private previous: { seq: number; hash: string } | null = null;
  private first: { seq: number } | null = null;
  /** SHA-256 of custody-bodies.jsonl as it must be for the lines checked (format 2). */
  private readonly bodies = createHash('sha256');
  lines = 0;
  /** Signatures still being checked, with where their problem goes in `problems` should one fail. */
  private readonly pending: { at: number; problem: CustodyProblem; valid: Promise<boolean> }[] = [];

  constructor(
    private readonly publicKeyOf: (fingerprint: string) => string | undefined,
    private readonly checkSignature: EntrySignatureCheck = entrySignatureValid,
  ) {}

  /** Checks the next line of the file. */
  checkLine(text: string): void {
    this.lines++;
    const line = this.lines;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      this.problems.push({ line, problem: 'is not valid JSON' });
      return;
    }
    const parsed = parseCustodyLine(value);
    if (typeof parsed === 'string') {
      this.problems.push({ line, problem: parsed });
      return;
    }
    this.first ??= { seq: parsed.seq };
    if (this.previous) {
      if (parsed.seq !== this.previous.seq + 1) {
        this.problems.push({
          line,
          problem: `sequence ${parsed.seq} does not follow ${this.previous.seq}: lines were removed, added or reordered`,
        });
      }
      if (!('omitted' in parsed) && parsed.prevHash !== this.previous.hash) {
        this.problems.push({
          line,
          problem: `chain broken: entry ${parsed.seq}'s prevHash ${short(parsed.prevHash)} is not the previous line's hash ${short(this.previous.hash)}`,
        });
      }
    }
    // A full entry's body line is the canonical text its hash covers: encoded once, for both. An
    // entry with none adds no body line, so custody-bodies.jsonl is named as not matching too.
    const body = 'omitted' in parsed ? custodyLineText(parsed) : this.checkEntry(line, parsed);
    if (body !== undefined) this.bodies.update(body, 'utf8');
    this.hashes.add(parsed.hash);
    this.previous = { seq: parsed.seq, hash: parsed.hash };
  }

  /**
   * Checks a full entry's hash and signature and files it by subject; returns its line of
   * custody-bodies.jsonl (its canonical body), or undefined for an entry that has none.
   */
  private checkEntry(line: number, entry: LedgerEntry): string | undefined {
    const canonical = this.canonicalBody(line, entry);
    if (canonical === undefined) return undefined;
    const recomputed = sha256Hex(canonical);
    if (recomputed !== entry.hash) {
      this.problems.push({
        line,
        problem: `entry ${entry.seq} was changed: its body hashes to ${short(recomputed)}, the line says ${short(entry.hash)}`,
      });
    }
    const key = this.publicKeyOf(entry.actor.keyFingerprint);
    if (key === undefined) {
      this.problems.push({
        line,
        problem: `entry ${entry.seq} is signed by key ${short(entry.actor.keyFingerprint)}, which the bundle does not carry`,
      });
    } else {
      const problem = {
        line,
        problem: `entry ${entry.seq}'s signature does not verify with key ${short(entry.actor.keyFingerprint)}`,
      };
      const valid = this.checkSignature(key, canonical, entry.signature);
      if (valid === false) this.problems.push(problem);
      else if (valid !== true) this.pending.push({ at: this.problems.length, problem, valid });
    }
    const list = this.entriesBySubject.get(entry.subject) ?? [];
    list.push(entry);
    this.entriesBySubject.set(entry.subject, list);
    return `${canonical}\n`;
  }

  /**
   * The canonical text an entry's hash and signature cover, or undefined (its problem filed) for
   * one that canonical JSON cannot encode: a number beyond a double's range such as 1e400, a lone
   * surrogate. Custos never writes one, so the entry was changed; it has no body to hash or verify,
   * and, like any changed entry, it keeps its place in the chain by the hash its line states, so
   * that the lines after it are still checked and a broken link is named where it is.
   */
  private canonicalBody(line: number, entry: LedgerEntry): string | undefined {
    const encoded = canonicalEntryBody(entry);
    if ('canonical' in encoded) return encoded.canonical;
    this.problems.push({ line, problem: encoded.problem });
    return undefined;
  }

  /** Waits for the signatures checked elsewhere and files the problems of those that fail; call before reading `problems`. */
  async settle(): Promise<void> {
    const pending = this.pending.splice(0);
    const valid = await Promise.all(pending.map((p) => p.valid));
    // From the last to the first, so that each earlier place is still where it was.
    for (let i = pending.length - 1; i >= 0; i--)
      if (!valid[i]) this.problems.splice(pending[i]!.at, 0, pending[i]!.problem);
  }

  /** The SHA-256 custody-bodies.jsonl must have to match the lines checked (call once, after the last line). */
  expectedBodiesHash(): string {
    return this.bodies.digest('hex');
  }

  /** The first and last line checked (sequence numbers and the head's hash). */
  get span(): { firstSeq: number; lastSeq: number; headHash: string } | null {
    return this.first && this.previous
      ? { firstSeq: this.first.seq, lastSeq: this.previous.seq, headHash: this.previous.hash }
      : null;
  }
}

const HEX64 = /^[0-9a-f]{64}$/;

/** A custody line checked for shape, or a sentence saying what is wrong with it. */
function parseCustodyLine(value: unknown): CustodyLine | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'is not a JSON object';
  const v = value as Record<string, unknown>;
  if (typeof v.seq !== 'number' || !Number.isSafeInteger(v.seq) || v.seq < 1) return 'has no valid "seq"';
  if (typeof v.hash !== 'string' || !HEX64.test(v.hash)) return 'has no valid "hash"';
  if (v.omitted === true) {
    return Object.keys(v).length === 3
      ? { seq: v.seq, hash: v.hash, omitted: true }
      : 'an omitted entry must hold only seq, hash and omitted';
  }
  const actor = v.actor as Record<string, unknown> | undefined;
  const ok =
    typeof v.time === 'string' &&
    typeof v.timeZone === 'string' &&
    typeof actor === 'object' &&
    actor !== null &&
    typeof actor.investigatorId === 'string' &&
    typeof actor.keyFingerprint === 'string' &&
    typeof v.action === 'string' &&
    (typeof v.caseId === 'string' || v.caseId === null) &&
    typeof v.subject === 'string' &&
    typeof v.details === 'object' &&
    v.details !== null &&
    typeof v.prevHash === 'string' &&
    typeof v.signature === 'string';
  return ok ? (v as unknown as LedgerEntry) : 'is neither a full custody entry nor an omitted one';
}

function short(hex: string): string {
  return hex.length > 16 ? `${hex.slice(0, 16)}…` : hex;
}
