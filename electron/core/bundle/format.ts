/**
 * Bundle formats 1 and 2 (docs/BUNDLE-FORMAT.md): the fixed file names, the manifest's shape and
 * the limits a reader enforces. A contract: other tools read bundles by these names.
 */
import { ARTIFACT_ROLES } from '../../../shared/domain.js';
import { canonicalJson } from '../store/canonical-json.js';
import {
  int,
  list,
  looseObject,
  nullable,
  object,
  oneOf,
  optional,
  record,
  type ShapeValue,
  text,
} from './shape-rules.js';

/**
 * The format version written into manifest.json. Format 2 adds SHA256SUMS.sig (SHA256SUMS signed,
 * and listing the manifest, its signature and the key), custody-bodies.jsonl (the exact bytes
 * each custody entry's hash and signature cover) and item-records.jsonl (the exact bytes each item's
 * digest is the hash of), so that VERIFY.txt proves alone what it claims.
 */
export const BUNDLE_FORMAT_VERSION = 2;

/** The formats `custos verify` and `custos receive` read. */
export const READABLE_FORMAT_VERSIONS: ReadonlySet<number> = new Set([1, BUNDLE_FORMAT_VERSION]);

/** The fixed files of a bundle. */
export const BUNDLE_FILES = {
  manifest: 'manifest.json',
  signature: 'manifest.sig',
  signerKey: 'signer.pem',
  checksums: 'SHA256SUMS',
  /** Format 2: Ed25519 signature of SHA256SUMS's exact bytes, raw 64 bytes. */
  checksumsSignature: 'SHA256SUMS.sig',
  custody: 'custody.jsonl',
  /** Format 2: line by line, the RFC 8785 bytes each custody.jsonl entry's hash and signature cover. */
  custodyBodies: 'custody-bodies.jsonl',
  /** Format 2: line by line, the RFC 8785 bytes of each manifest item's capture record (its digest's input). */
  itemRecords: 'item-records.jsonl',
  reportHtml: 'report.html',
  reportPdf: 'report.pdf',
  verifyText: 'VERIFY.txt',
  timestampIndex: 'timestamps/index.json',
  /** The case's watch history, present when the case has watched URLs (docs/WATCH.md). */
  watches: 'watch.json',
  /** The page captures as a signed WACZ web archive, present when the bundle has page captures. */
  wacz: 'web-archive.wacz',
} as const;

/** Files the manifest cannot list (it is one of them, or they are made from it). */
export function filesOutsideManifest(formatVersion: number): ReadonlySet<string> {
  const files: string[] = [
    BUNDLE_FILES.manifest,
    BUNDLE_FILES.signature,
    BUNDLE_FILES.signerKey,
    BUNDLE_FILES.checksums,
  ];
  if (formatVersion >= 2) files.push(BUNDLE_FILES.checksumsSignature);
  return new Set(files);
}

/**
 * Files SHA256SUMS does not list: itself and a signature over what it lists. Format 1 signs the
 * manifest only, so manifest.sig is outside; format 2 signs SHA256SUMS, which lists everything else.
 */
export function filesOutsideChecksums(formatVersion: number): ReadonlySet<string> {
  return new Set([
    BUNDLE_FILES.checksums,
    formatVersion >= 2 ? BUNDLE_FILES.checksumsSignature : BUNDLE_FILES.signature,
  ]);
}

/** The folder of an item's artifacts inside a bundle. */
export function itemFolder(itemId: string): string {
  return `items/${itemId}/`;
}

/** What `covers` says in timestamps/index.json when a token covers the ledger head, not an item. */
export { LEDGER_HEAD_COVER } from '../../../shared/verification.js';

/**
 * Limits a reader enforces before it decompresses anything: a received bundle is hostile input
 * (zip bombs, huge entry counts). A real bundle stays far below them.
 */
export interface ZipLimits {
  readonly maxEntries: number;
  /** Sum of the declared uncompressed sizes. */
  readonly maxTotalBytes: number;
  /** Declared uncompressed size over compressed size, for entries larger than `ratioFloorBytes`. */
  readonly maxRatio: number;
  readonly ratioFloorBytes: number;
  /** Control files (manifest, checksums, key, index) are read into memory: each at most this. */
  readonly maxControlFileBytes: number;
}

/** The limits `verify` and `receive` apply unless told otherwise. */
export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 100_000,
  maxTotalBytes: 256 * 1024 ** 3,
  maxRatio: 100,
  ratioFloorBytes: 64 * 1024 * 1024,
  maxControlFileBytes: 256 * 1024 * 1024,
};

const sha256Hex = text({
  pattern: { regex: /^[0-9a-f]{64}$/, message: 'must be a lowercase SHA-256 hex digest' },
});
const isoTime = text({ min: 1 });
/** A relative path inside the bundle: forward slashes, no empty, `.` or `..` segment. */
const bundlePath = text({
  min: 1,
  refine: {
    test: (p) =>
      !p.startsWith('/') && p.split('/').every((part) => part !== '' && part !== '.' && part !== '..'),
    message: 'must be a relative path inside the bundle',
  },
});
const nonEmpty = text({ min: 1 });

/**
 * The shapes below are declared once (shape-rules.ts): verify checks them with `checkShape`,
 * without zod; shape-schema.ts builds the zod schema of each for the code that parses with zod.
 */

/** One artifact as manifest.json lists it. */
export const MANIFEST_ARTIFACT_SHAPE = object({
  path: bundlePath,
  role: nonEmpty,
  mediaType: nonEmpty,
  size: int('nonnegative'),
  sha256: sha256Hex,
});

/** A capture record (shared/domain.ts CaptureRecord) as a received bundle must hold it. */
export const CAPTURE_RECORD_SHAPE = looseObject({
  recordVersion: oneOf([1]),
  itemId: nonEmpty,
  caseId: nonEmpty,
  kind: oneOf(['capture', 'import', 'received']),
  source: text(),
  capturedAt: isoTime,
  timeZone: text(),
  investigator: looseObject({ id: text(), name: text(), keyFingerprint: text() }),
  metadata: record(),
  artifacts: list(
    looseObject({
      role: oneOf(ARTIFACT_ROLES),
      name: nonEmpty,
      mediaType: nonEmpty,
      size: int('nonnegative'),
      sha256: sha256Hex,
    }),
  ),
});

/** One item as manifest.json lists it; `record` is the capture record its digest is computed from. */
export const MANIFEST_ITEM_SHAPE = object({
  id: nonEmpty,
  kind: nonEmpty,
  sourceUrl: text(),
  capturedAt: isoTime,
  digest: sha256Hex,
  title: optional(nullable(text())),
  record: record(),
  artifacts: list(MANIFEST_ARTIFACT_SHAPE),
});

/** A public key that signed custody entries, other than the exporter's (which is signer.pem). */
export const MANIFEST_KEY_SHAPE = object({
  keyFingerprint: sha256Hex,
  publicKeyPem: nonEmpty,
  investigatorId: optional(text()),
  name: optional(text()),
  agency: optional(nullable(text())),
});

/** manifest.json, formats 1 and 2 (the same shape), so that a hostile manifest cannot surprise the verifier. */
export const MANIFEST_SHAPE = object({
  formatVersion: int(),
  case: object({ id: nonEmpty, number: nonEmpty, title: text() }),
  exporter: object({
    investigatorId: nonEmpty,
    name: nonEmpty,
    agency: nullable(text()),
    badge: nullable(text()),
    keyFingerprint: sha256Hex,
  }),
  exportedAt: isoTime,
  timeZone: optional(text()),
  tool: object({ name: text(), version: text() }),
  items: list(MANIFEST_ITEM_SHAPE),
  /** The other files of the bundle (custody, report, VERIFY.txt, timestamps), hashed. */
  files: list(object({ path: bundlePath, size: int('nonnegative'), sha256: sha256Hex })),
  /** Where custody.jsonl starts and ends: its last line's hash is the ledger head at export. */
  custody: object({
    path: bundlePath,
    firstSeq: int('positive'),
    lastSeq: int('positive'),
    headHash: sha256Hex,
    lines: int('positive'),
  }),
  keys: list(MANIFEST_KEY_SHAPE),
});

/** manifest.json as written and read. */
export type BundleManifest = ShapeValue<typeof MANIFEST_SHAPE>;
/** One item of manifest.json. */
export type ManifestItem = ShapeValue<typeof MANIFEST_ITEM_SHAPE>;
/** One artifact of a manifest item. */
export type ManifestArtifact = ShapeValue<typeof MANIFEST_ARTIFACT_SHAPE>;

/** One line of timestamps/index.json (docs/BUNDLE-FORMAT.md, "timestamps/"). */
export const TIMESTAMP_INDEX_ENTRY_SHAPE = object({
  file: bundlePath,
  sha256: sha256Hex,
  covers: nonEmpty,
  tsa: text(),
  time: text(),
  /** The authority's certificate chain as PEM (signing certificate first), to help build the path. */
  chain: optional(bundlePath),
  /** The signing certificate's subject as the exporter's store recorded it. */
  tsaName: optional(text()),
  /** For a ledger-head token: the sequence number of the custody entry whose hash it stamps. */
  ledgerSeq: optional(int('positive')),
});
/** timestamps/index.json. */
export const TIMESTAMP_INDEX_SHAPE = list(TIMESTAMP_INDEX_ENTRY_SHAPE);
/** One timestamp token listed in the bundle. */
export type TimestampIndexEntry = ShapeValue<typeof TIMESTAMP_INDEX_ENTRY_SHAPE>;

/** One line of custody.jsonl for an entry of other business: only its place in the chain. */
export interface OmittedCustodyLine {
  readonly seq: number;
  readonly hash: string;
  readonly omitted: true;
}

/** Whether text holds C0 control characters or DEL (never valid in a bundle path). */
export function hasControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** The text of item-records.jsonl (format 2): each item's capture record as canonical JSON, one per line. */
export function itemRecordsText(items: readonly { readonly record: unknown }[]): string {
  return itemRecordLines(items.map((item) => canonicalJson(item.record)));
}

/** The text of item-records.jsonl from records already encoded as canonical JSON. */
export function itemRecordLines(canonicalRecords: readonly string[]): string {
  return canonicalRecords.map((record) => `${record}\n`).join('');
}
