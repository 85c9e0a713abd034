/**
 * Bundle formats 1 and 2 (docs/BUNDLE-FORMAT.md): the fixed file names, the manifest's shape and
 * the limits a reader enforces. A contract: other tools read bundles by these names.
 */
import { z } from 'zod';
import { ARTIFACT_ROLES } from '../../../shared/domain.js';
import { canonicalJson } from '../store/canonical-json.js';

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

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase SHA-256 hex digest');
const isoTime = z.string().min(1);
/** A relative path inside the bundle: forward slashes, no empty, `.` or `..` segment. */
const bundlePath = z
  .string()
  .min(1)
  .refine(
    (p) => !p.startsWith('/') && p.split('/').every((part) => part !== '' && part !== '.' && part !== '..'),
    {
      message: 'must be a relative path inside the bundle',
    },
  );

/** One artifact as manifest.json lists it. */
export const manifestArtifactSchema = z.object({
  path: bundlePath,
  role: z.string().min(1),
  mediaType: z.string().min(1),
  size: z.number().int().nonnegative(),
  sha256: sha256Hex,
});

/** A capture record (shared/domain.ts CaptureRecord) as a received bundle must hold it. */
export const captureRecordSchema = z.looseObject({
  recordVersion: z.literal(1),
  itemId: z.string().min(1),
  caseId: z.string().min(1),
  kind: z.enum(['capture', 'import', 'received']),
  source: z.string(),
  capturedAt: isoTime,
  timeZone: z.string(),
  investigator: z.looseObject({ id: z.string(), name: z.string(), keyFingerprint: z.string() }),
  metadata: z.record(z.string(), z.unknown()),
  artifacts: z.array(
    z.looseObject({
      role: z.enum(ARTIFACT_ROLES),
      name: z.string().min(1),
      mediaType: z.string().min(1),
      size: z.number().int().nonnegative(),
      sha256: sha256Hex,
    }),
  ),
});

/** One item as manifest.json lists it; `record` is the capture record its digest is computed from. */
export const manifestItemSchema = z.object({
  id: z.string().min(1),
  kind: z.string().min(1),
  sourceUrl: z.string(),
  capturedAt: isoTime,
  digest: sha256Hex,
  title: z.string().nullable().optional(),
  record: z.record(z.string(), z.unknown()),
  artifacts: z.array(manifestArtifactSchema),
});

/** A public key that signed custody entries, other than the exporter's (which is signer.pem). */
export const manifestKeySchema = z.object({
  keyFingerprint: sha256Hex,
  publicKeyPem: z.string().min(1),
  investigatorId: z.string().optional(),
  name: z.string().optional(),
  agency: z.string().nullable().optional(),
});

/** manifest.json, formats 1 and 2 (the same shape). Parsed with this schema, so a hostile manifest cannot surprise the verifier. */
export const manifestSchema = z.object({
  formatVersion: z.number().int(),
  case: z.object({ id: z.string().min(1), number: z.string().min(1), title: z.string() }),
  exporter: z.object({
    investigatorId: z.string().min(1),
    name: z.string().min(1),
    agency: z.string().nullable(),
    badge: z.string().nullable(),
    keyFingerprint: sha256Hex,
  }),
  exportedAt: isoTime,
  timeZone: z.string().optional(),
  tool: z.object({ name: z.string(), version: z.string() }),
  items: z.array(manifestItemSchema),
  /** The other files of the bundle (custody, report, VERIFY.txt, timestamps), hashed. */
  files: z.array(z.object({ path: bundlePath, size: z.number().int().nonnegative(), sha256: sha256Hex })),
  /** Where custody.jsonl starts and ends: its last line's hash is the ledger head at export. */
  custody: z.object({
    path: bundlePath,
    firstSeq: z.number().int().positive(),
    lastSeq: z.number().int().positive(),
    headHash: sha256Hex,
    lines: z.number().int().positive(),
  }),
  keys: z.array(manifestKeySchema),
});

/** manifest.json as written and read. */
export type BundleManifest = z.infer<typeof manifestSchema>;
/** One item of manifest.json. */
export type ManifestItem = z.infer<typeof manifestItemSchema>;
/** One artifact of a manifest item. */
export type ManifestArtifact = z.infer<typeof manifestArtifactSchema>;

/** One line of timestamps/index.json (docs/BUNDLE-FORMAT.md, "timestamps/"). */
export const timestampIndexEntrySchema = z.object({
  file: bundlePath,
  sha256: sha256Hex,
  covers: z.string().min(1),
  tsa: z.string(),
  time: z.string(),
  /** The authority's certificate chain as PEM (signing certificate first), to help build the path. */
  chain: bundlePath.optional(),
  /** The signing certificate's subject as the exporter's store recorded it. */
  tsaName: z.string().optional(),
  /** For a ledger-head token: the sequence number of the custody entry whose hash it stamps. */
  ledgerSeq: z.number().int().positive().optional(),
});
/** timestamps/index.json. */
export const timestampIndexSchema = z.array(timestampIndexEntrySchema);
/** One timestamp token listed in the bundle. */
export type TimestampIndexEntry = z.infer<typeof timestampIndexEntrySchema>;

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
