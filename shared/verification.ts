/**
 * What verifying a bundle reports, declared once: the core returns it (`custos verify --json`
 * prints it), the app receives it over the API, and the words a recipient reads about a
 * timestamp's trust and the signer are the same in the terminal and on the Verify screen.
 */

/** A difference or a limit, named by the file it concerns (`(zip)` for the archive itself). */
export interface VerificationFinding {
  readonly path: string;
  readonly problem: string;
}

/**
 * How far a token's authority is trusted: publicly (Node's copy of Mozilla's root list), because
 * the recipient gave its root, only because the investigator added its root to their store (a
 * signed custody entry the bundle carries), or not at all. Only the first two establish the time.
 */
export type TimestampTrust = 'public' | 'recipient-root' | 'investigator-root' | 'untrusted';

/** What a bundle's timestamp token covers when it is not an item: the custody ledger's head. */
export const LEDGER_HEAD_COVER = 'ledger-head';

/** One item as verify reports it. */
export interface VerifiedItem {
  readonly id: string;
  readonly kind: string;
  readonly sourceUrl: string;
  readonly capturedAt: string;
  readonly digest: string;
  readonly artifacts: number;
  readonly valid: boolean;
  /** The earliest valid, trusted RFC 3161 time of its digest (null: none the recipient can trust). */
  readonly trustedTime: string | null;
}

/** One timestamp token as verify reports it. */
export interface VerifiedTimestamp {
  readonly file: string;
  /** An item id, or `ledger-head`. */
  readonly covers: string;
  readonly sha256: string;
  /** The signing certificate's subject read from the token (the index's name when unreadable). */
  readonly tsa: string;
  /** The authority's URL as the index lists it. */
  readonly tsaUrl: string;
  /** The bundle's file holding the authority's chain, if any. */
  readonly chain: string | null;
  /** genTime read from the token (the index's claim when the token is unreadable). */
  readonly time: string;
  /** True only when the imprint, signature and chain to a trusted root all check. */
  readonly valid: boolean;
  /** False when the authority does not chain to a root the recipient trusts. */
  readonly trusted: boolean;
  /** Why the authority is trusted or not; null when the token itself is faulty. */
  readonly trust: TimestampTrust | null;
  /** For `investigator-root`: the custody entry (sequence number) that added the root. */
  readonly rootEntry: number | null;
  /** What is wrong, or null. */
  readonly problem: string | null;
}

/** The result of verifying a bundle (`custos verify --json`; the first five fields are the contract). */
export interface BundleVerification {
  readonly valid: boolean;
  /** The fingerprint of signer.pem's key, or null when there is no readable key. */
  readonly signer: string | null;
  /**
   * Whether the signer was compared with a fingerprint the recipient gave (`--expect-signer`).
   * When false, "valid" means only that the bundle is intact as signed by whoever holds that key.
   */
  readonly signerChecked: boolean;
  readonly items: readonly VerifiedItem[];
  readonly timestamps: readonly VerifiedTimestamp[];
  readonly problems: readonly VerificationFinding[];
  /**
   * Findings that do not show tampering but limit what the bundle proves: a timestamp whose
   * authority is not among the recipient's trusted roots (its time is then not established).
   */
  readonly warnings: readonly VerificationFinding[];
  readonly case: { readonly id: string; readonly number: string; readonly title: string } | null;
  readonly exporter: {
    readonly investigatorId: string;
    readonly name: string;
    readonly agency: string | null;
    readonly badge: string | null;
    readonly keyFingerprint: string;
  } | null;
  readonly exportedAt: string | null;
  readonly files: number;
  readonly sealed: boolean;
  /** The manifest's format version (null when unreadable). */
  readonly formatVersion: number | null;
  /** The evidence hash (docs/VERIFYING.md) the report prints on every page; null unless valid. */
  readonly evidenceSha256: string | null;
}

/** A token's trust in a few words, as `custos verify` prints it and the Verify screen shows it. */
export function trustWords(trust: TimestampTrust | null, rootEntry: number | null): string {
  switch (trust) {
    case 'public':
      return 'trusted: publicly trusted authority';
    case 'recipient-root':
      return 'trusted: chains to a root you gave';
    case 'investigator-root':
      return `NOT TRUSTED by you: only the investigator added its root (custody entry ${rootEntry})`;
    case 'untrusted':
      return 'NOT TRUSTED: no known root';
    case null:
      return 'INVALID';
  }
}

/** How many items have no trusted time, in the CLI's words; null when every item has one or nothing is stamped. */
export function untimedItemsLine(report: Pick<BundleVerification, 'items' | 'timestamps'>): string | null {
  const untimed = report.items.filter((item) => item.trustedTime === null).length;
  if (report.timestamps.length === 0 || untimed === 0) return null;
  return `Trusted time NOT established for ${untimed} of ${report.items.length} item(s).`;
}

/** A WACZ token's trust in a few words, as `custos verify FILE.wacz` prints it. */
export function waczTrustWords(timestamp: Readonly<{ valid: boolean; trusted: boolean }>): string {
  if (!timestamp.valid) return 'INVALID';
  return timestamp.trusted ? 'trusted' : 'NOT TRUSTED: no root you trust';
}
