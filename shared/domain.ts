/**
 * Domain types shared by the core services, the CLI and the UI.
 * Plain data only: this file runs in Node, in Electron and in the browser.
 */

/** The role an artifact plays in an item (docs/CLI.md, "Artifact"). */
export const ARTIFACT_ROLES = [
  'screenshot',
  'viewport',
  'mhtml',
  'warc',
  'html',
  'text',
  'metadata',
  'original',
  /** A WebM recording of the live view (a video capture). */
  'video',
] as const;
export type ArtifactRole = (typeof ARTIFACT_ROLES)[number];

/** How an item came into the store. */
export type ItemKind = 'capture' | 'import' | 'received';

/** The person and key behind every custody entry made on this workstation. */
export interface Investigator {
  readonly id: string;
  readonly name: string;
  readonly agency: string | null;
  readonly badge: string | null;
  /** SHA-256 (hex) of the Ed25519 public key's SPKI DER encoding. */
  readonly keyFingerprint: string;
  readonly publicKeyPem: string;
  readonly createdAt: string;
}

/** An investigation; named by its id or its (unique) number. */
export interface Case {
  readonly id: string;
  readonly number: string;
  readonly title: string;
  readonly description: string | null;
  readonly createdAt: string;
  readonly createdBy: string;
}

/** One stored file of an item, as listed in the item's capture record. */
export interface ArtifactRecord {
  readonly role: ArtifactRole;
  readonly mediaType: string;
  readonly size: number;
  readonly sha256: string;
  /** File name inside the item (used in bundles: items/<item-id>/<name>). */
  readonly name: string;
}

/**
 * The capture record of an item. Its canonical JSON (RFC 8785) hashed with
 * SHA-256 is the item's digest (docs/ARCHITECTURE.md, evidence invariant 3).
 */
export interface CaptureRecord {
  readonly recordVersion: 1;
  readonly itemId: string;
  readonly caseId: string;
  readonly kind: ItemKind;
  /** The URL a capture started from, or the original file name of an import. */
  readonly source: string;
  /** UTC, ISO 8601 with milliseconds. */
  readonly capturedAt: string;
  /** IANA time zone of the workstation when the item was made. */
  readonly timeZone: string;
  readonly investigator: { readonly id: string; readonly name: string; readonly keyFingerprint: string };
  /** Kind-specific metadata (import: original name, size, mtime; capture: URL, title...). */
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly artifacts: readonly ArtifactRecord[];
}

/** An item as listed by `items` and `item show`, and printed by `capture --json`. */
export interface ItemSummary {
  readonly id: string;
  readonly caseId: string;
  readonly kind: ItemKind;
  readonly url: string | null;
  readonly source: string;
  readonly title: string | null;
  readonly capturedAt: string;
  readonly digest: string;
  readonly artifacts: readonly ArtifactRecord[];
  readonly tags: readonly string[];
}

/** A note or a tag on an item; each one is also a custody entry. */
export interface Annotation {
  readonly id: number;
  readonly itemId: string;
  /** `untag` records a tag's removal (the `tag` annotation stays: the history keeps it). */
  readonly kind: 'note' | 'tag' | 'untag';
  readonly text: string;
  readonly createdAt: string;
  readonly investigatorId: string;
}

/** The hashed and signed body of a custody ledger entry. */
export interface LedgerEntryBody {
  readonly seq: number;
  /** UTC, ISO 8601 with milliseconds. */
  readonly time: string;
  readonly timeZone: string;
  readonly actor: { readonly investigatorId: string; readonly keyFingerprint: string };
  readonly action: string;
  readonly caseId: string | null;
  /** What the action touched: an item id, a case id, the store. */
  readonly subject: string;
  readonly details: Readonly<Record<string, unknown>>;
  /** Hash of the previous entry, or 64 zeros for the first. */
  readonly prevHash: string;
}

/** A custody ledger entry: its body, the SHA-256 of the body's canonical JSON, and the actor's signature. */
export interface LedgerEntry extends LedgerEntryBody {
  readonly hash: string;
  /** Ed25519 signature (base64) over the body's canonical JSON bytes. */
  readonly signature: string;
}

/** One difference found by an audit or a verification, named precisely. */
export interface Problem {
  /** What is affected: `item <id>`, `blob <sha256>`, `ledger entry 12`, `database`... */
  readonly subject: string;
  readonly problem: string;
}

/** The result of `custos audit`. */
export interface AuditReport {
  readonly clean: boolean;
  readonly counts: {
    readonly items: number;
    readonly artifacts: number;
    readonly blobs: number;
    readonly bytes: number;
    readonly ledgerEntries: number;
  };
  /** Differences: any one of them makes the audit fail. */
  readonly problems: readonly Problem[];
  /** Things worth knowing that are not tampering (e.g. blobs no item references, left by a crash). */
  readonly notices: readonly Problem[];
}

/** Progress of long work, for a progress bar or a terminal line. */
export interface Progress {
  readonly done: number;
  readonly total: number;
  readonly label?: string;
}
