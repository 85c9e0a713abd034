/**
 * `custos verify`: checks a bundle with no store: the ZIP's structure, every file against
 * SHA256SUMS and the signed manifest, no missing or extra file, the signature, the custody chain
 * and its link to the manifest, each item's digest and the custody entry that signs it, and the
 * timestamps. Every difference is named by the file it concerns.
 */
import { createPublicKey } from 'node:crypto';
import type { LedgerEntry } from '../../../shared/domain.js';
import type {
  VerifiedItem,
  VerifiedTimestamp,
  BundleVerification as VerifyReport,
} from '../../../shared/verification.js';
import { badInput, errorCode, type NextStep, RUN_AGAIN } from '../errors.js';
import { requireRegularFile } from '../regular-file.js';
import { SourceReadError } from '../store/blob-store.js';
import { canonicalJson, sha256Hex } from '../store/canonical-json.js';
import { keyFingerprint, verifySignature } from '../store/signing-key.js';
import {
  describeDecryptedCopyFailure,
  describeVerifyReadFailure,
  isDeviceFailure,
} from '../system-errors.js';
import { untrustedWithAdvice } from '../timestamp/trust-advice.js';
import { type AgeKeys, ageFormatOf } from './age-keys.js';
import { parseChecksums } from './checksums.js';
import { CustodySegmentChecker } from './custody-check.js';
import { evidenceHash } from './evidence-hash.js';
import {
  BUNDLE_FILES,
  BUNDLE_FORMAT_VERSION,
  type BundleManifest,
  CAPTURE_RECORD_SHAPE,
  DEFAULT_ZIP_LIMITS,
  filesOutsideChecksums,
  filesOutsideManifest,
  itemFolder,
  itemRecordLines,
  LEDGER_HEAD_COVER,
  MANIFEST_SHAPE,
  READABLE_FORMAT_VERSIONS,
  TIMESTAMP_INDEX_SHAPE,
  type TimestampIndexEntry,
  type ZipLimits,
} from './format.js';
import { checkShape, describeShapeProblem, protoKeyPath } from './shape-rules.js';
import { describeTrust, type InvestigatorRoot, investigatorRoots } from './timestamp-trust.js';
import type { TokenCheckOutcome } from './token-check.js';
import { type EntryDigest, startVerifyThreads, type VerifyThreads } from './verify-threads.js';

import {
  type BundleProblem,
  FILE_CHANGED,
  fileChanged,
  hashEntry,
  type InspectedZip,
  inspectZip,
  isFileReadFailure,
  readEntryBytes,
  type ZipDirectory,
  type ZipFileEntry,
} from './zip-reader.js';

/** The subject of store-wide settings entries, among them those that add a trusted root. */
const ROOTS_SUBJECT = 'settings';

/** How to verify. */
export interface VerifyOptions {
  /** The fingerprint the signer's key must have (SHA-256 hex of its SPKI DER; colons and case ignored). */
  readonly expectSigner?: string;
  /** Identities or a passphrase, for a bundle sealed with age. */
  readonly seal?: AgeKeys;
  readonly limits?: ZipLimits;
  /** Root certificates (PEM) of time-stamping authorities the recipient trusts, besides Node's roots. */
  readonly tsaRootsPem?: readonly string[];
  /** Whose words the report's advice is in: the CLI's (`RUN_AGAIN`, the default) or the window's. */
  readonly next?: NextStep;
  /**
   * The most worker threads verify may run at once (default: one per core, up to four), for the
   * hashing and custody signatures and then for the timestamp tokens; 0 does every check on the
   * calling thread. The report is the same either way.
   */
  readonly threads?: number;
  /**
   * The file's ZIP directory, already read (`custos verify` reads it to tell a WACZ from a bundle):
   * not read again, and closed with the bundle. Ignored for a sealed bundle (its ZIP is inside).
   */
  readonly directory?: ZipDirectory | null;
  /**
   * verify's threads, already started on this file (`startVerifyThreads`) so that their start
   * overlaps the caller's own (`custos verify` starts them before it loads the checks and reads the
   * directory). The check uses and closes them; threads on another file (a sealed bundle's ZIP is a
   * decrypted copy) are closed unused and `threads` is followed. The caller closes them too (a
   * second close does nothing), in case the check stops before it reaches them.
   */
  readonly startedThreads?: VerifyThreads;
}

/** One item, one token and the whole result as verify reports them: declared once in shared/. */
export type { VerifiedItem, VerifiedTimestamp, VerifyReport };

/** A verified bundle still open, for `receive` to read from. */
export interface CheckedBundle {
  readonly report: VerifyReport;
  /** The parsed manifest and its exact bytes (present when the manifest could be read). */
  readonly manifest: BundleManifest | null;
  readonly manifestBytes: Buffer | null;
  readonly signerPem: string | null;
  /** Every key that signed custody entries, by fingerprint. */
  readonly keys: ReadonlyMap<string, string>;
  readonly zip: InspectedZip | null;
  /** The ZIP file read (a decrypted temporary copy when the bundle was sealed). */
  readonly zipFile: string;
}

/**
 * Verifies a bundle file (sealed or not) and returns the report. A read that the file's disk fails
 * (EIO from a USB stick) is that disk's failure (exit 3), never a problem of the bundle; for a
 * sealed bundle, a failed read of its decrypted copy is the system temporary folder's disk's.
 */
export async function verifyBundle(file: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  await requireRegularFile(file, file, 'nothing was verified');
  try {
    return await withCheckedBundle(file, options, async (bundle) => bundle.report);
  } catch (error) {
    if (error instanceof SourceReadError && error.source !== file)
      throw (
        describeDecryptedCopyFailure(
          error.cause,
          error.source.toString(),
          file,
          'read',
          "nothing about the bundle's integrity was decided",
        ) ?? error
      );
    throw describeVerifyReadFailure(error instanceof SourceReadError ? error.cause : error, file) ?? error;
  }
}

/**
 * Opens (decrypting when sealed), checks, runs `work` with the open bundle, then closes and cleans
 * up. A device's failure to read an unsealed file is thrown as it came (its caller words it:
 * verify's, or receive's); a sealed file's, or its decrypted copy's while it is checked, as a
 * SourceReadError naming which of the two, whose disks differ. A file that changed while it was
 * read is `fileChanged` (exit 3).
 */
export async function withCheckedBundle<T>(
  file: string,
  options: VerifyOptions,
  work: (bundle: CheckedBundle) => Promise<T>,
): Promise<T> {
  const sealed = ageFormatOf(file) !== null;
  // The age library is loaded only to open a sealed bundle.
  const opened = sealed ? await (await import('./age-seal.js')).openSeal(file, options.seal ?? {}) : null;
  try {
    const bundle = await checkZip(opened?.file ?? file, options, sealed).catch((error: unknown) => {
      throw opened && isDeviceFailure(error) ? new SourceReadError(opened.file, error) : error;
    });
    try {
      return await work(bundle);
    } finally {
      // Awaited: a decrypted bundle's temp folder goes next, and open files would keep it (Windows).
      await bundle.zip?.close();
    }
  } finally {
    opened?.remove();
  }
}

const MARKER_FILES = [
  BUNDLE_FILES.manifest,
  BUNDLE_FILES.signature,
  BUNDLE_FILES.signerKey,
  BUNDLE_FILES.checksums,
  BUNDLE_FILES.custody,
];

/** Normalises a fingerprint as people write it (colons, spaces, upper case). */
export function normaliseFingerprint(text: string): string {
  return text.replace(/[\s:]/g, '').toLowerCase();
}

/** Reads one of the bundle's control files whole (bounded), or records why it cannot and gives null. */
type ControlFileReader = (name: string) => Promise<Buffer | null>;

/** What the signature check learned: the manifest's exact bytes and the signer's key, when readable. */
interface SignatureCheck {
  readonly manifestBytes: Buffer | null;
  readonly signerPem: string | null;
  readonly signer: string | null;
}

/** One file the manifest lists: an artifact or a bundle file, with its hash and size. */
type ListedFile = { readonly sha256: string; readonly size: number };

/**
 * The control files this thread reads whole before anything else: hashed from the bytes it read
 * (the manifest is megabytes for a case of thousands of items), not read again by the threads.
 */
const READ_WHOLE_HERE: ReadonlySet<string> = new Set([
  BUNDLE_FILES.manifest,
  BUNDLE_FILES.signature,
  BUNDLE_FILES.signerKey,
  BUNDLE_FILES.checksums,
]);

/** Checks an unsealed bundle ZIP, step by step; every problem found is named by the file it concerns. */
async function checkZip(zipFile: string, options: VerifyOptions, sealed: boolean): Promise<CheckedBundle> {
  const given = options.startedThreads;
  let threads = given?.file === zipFile ? given : undefined;
  if (given && !threads) await given.close();
  try {
    const expectSigner = checkExpectedSigner(options.expectSigner);
    threads ??= startVerifyThreads(zipFile, { threads: options.threads });
    return await checkZipWith(threads, zipFile, options, sealed, expectSigner);
  } finally {
    await threads?.close(); // each thread holds the ZIP open
  }
}

/**
 * `checkZip` once the threads are starting. The threads hash every file but custody.jsonl from
 * the moment the ZIP is inspected; meanwhile this thread reads the control files, checks custody
 * line by line (the signatures going to the threads) and the items; the problems are then reported
 * in the order of the steps, whatever finished first.
 */
async function checkZipWith(
  threads: VerifyThreads,
  zipFile: string,
  options: VerifyOptions,
  sealed: boolean,
  expectSigner: string | undefined,
): Promise<CheckedBundle> {
  const limits = options.limits ?? DEFAULT_ZIP_LIMITS;
  const zip = await inspectZip(
    zipFile,
    limits,
    undefined,
    sealed ? undefined : (options.directory ?? undefined),
  );
  const problems: BundleProblem[] = [...zip.problems];
  if (zip.refused) {
    zip.requireUnchanged(); // a ZIP cut short while its directory was read is no finding
    return refusedBundle(zip, zipFile, problems, sealed);
  }
  const { files } = zip;
  await refuseZipThatIsNoBundle(zip, zipFile, problems);
  const custody = files.get(BUNDLE_FILES.custody);
  const hashing = threads.hash(
    zip,
    [...files.values()].filter((entry) => entry !== custody && !READ_WHOLE_HERE.has(entry.name)),
  );
  const read = new Map<string, Buffer>();
  const control = controlFileReader(zip, limits, problems, read);

  const { manifestBytes, signerPem, signer } = await checkSignature(control, expectSigner, problems);
  const manifest = readManifest(manifestBytes, signer, problems);
  const formatVersion =
    manifest?.formatVersion ?? (files.has(BUNDLE_FILES.checksumsSignature) ? BUNDLE_FORMAT_VERSION : 1);
  const keys = custodyKeys(manifest, signer, signerPem, problems);

  // Every file: streamed and hashed once; custody.jsonl here, checked line by line as it streams.
  const sums = await readChecksums(control, formatVersion, signerPem, problems);
  const controlDigests = controlFileDigests(threads, zip, read);
  const checker = new CustodySegmentChecker((fingerprint) => keys.get(fingerprint), threads.checkSignature);
  const custodyDigest = custody ? await hashCustody(zip, custody, checker) : undefined;
  const itemChecks = manifest ? checkItemsAhead(manifest, checker) : null;
  const found = [
    await hashing,
    await controlDigests,
    new Map(custody && custodyDigest ? [[custody.name, custodyDigest]] : []),
  ];
  throwFileReadFailure(zipFile, found);
  const hashes = hashResults(files, found, problems);
  await checker.settle();
  // Every hash and signature is in: the threads go before the token checks start their own.
  await threads.close();
  checkFilesAgainstLists(files, hashes, { manifest, sums, formatVersion }, problems);

  checkCustodyChain(checker, manifest, files.has(BUNDLE_FILES.custody), problems);
  if (formatVersion >= 2) {
    checkCustodyBodies(checker, hashes, problems);
    checkItemRecords(itemChecks, hashes, problems);
  }
  const items = reportItems(manifest, itemChecks, problems);

  const warnings: BundleProblem[] = [];
  const timestamps = await checkTimestamps(zip, control, files, manifest, checker.hashes, {
    problems,
    warnings,
    limits,
    rootsPem: options.tsaRootsPem ?? [],
    investigatorRoots: investigatorRoots(checker.entriesBySubject.get(ROOTS_SUBJECT) ?? []),
    threads: options.threads,
    next: options.next ?? RUN_AGAIN,
  });
  const trustedTimes = earliestTrustedTimes(timestamps);
  // Every read is done: a file written to or replaced meanwhile makes the report describe no one file.
  zip.requireUnchanged();
  return {
    report: {
      valid: problems.length === 0,
      signer,
      items: items.map((item) => ({ ...item, trustedTime: trustedTimes.get(item.id) ?? null })),
      timestamps,
      problems,
      signerChecked: expectSigner !== undefined,
      warnings,
      case: manifest?.case ?? null,
      exporter: manifest?.exporter ?? null,
      exportedAt: manifest?.exportedAt ?? null,
      files: files.size,
      sealed,
      formatVersion: manifest?.formatVersion ?? null,
      evidenceSha256: problems.length === 0 ? evidenceOf(hashes) : null,
    },
    manifest,
    manifestBytes,
    signerPem,
    keys,
    zip,
    zipFile,
  };
}

/** The fingerprint `--expect-signer` names, normalised; refuses anything but 64 hex digits. */
export function checkExpectedSigner(given: string | undefined): string | undefined {
  if (given === undefined) return undefined;
  const expectSigner = normaliseFingerprint(given);
  if (!/^[0-9a-f]{64}$/.test(expectSigner)) {
    throw badInput(`--expect-signer must be a SHA-256 key fingerprint (64 hex digits), not ${given}`);
  }
  return expectSigner;
}

/** The result for a ZIP whose structure was refused: invalid, with nothing read from it. */
function refusedBundle(
  zip: InspectedZip,
  zipFile: string,
  problems: BundleProblem[],
  sealed: boolean,
): CheckedBundle {
  return {
    report: {
      valid: false,
      signer: null,
      items: [],
      timestamps: [],
      signerChecked: false,
      warnings: [],
      case: null,
      exporter: null,
      exportedAt: null,
      sealed,
      problems,
      files: zip.files.size,
      formatVersion: null,
      evidenceSha256: null,
    },
    manifest: null,
    manifestBytes: null,
    signerPem: null,
    keys: new Map(),
    zip,
    zipFile,
  };
}

/** Refuses, as bad input, a sound ZIP that has none of a bundle's control files. */
async function refuseZipThatIsNoBundle(
  zip: InspectedZip,
  zipFile: string,
  problems: readonly BundleProblem[],
): Promise<void> {
  if (MARKER_FILES.some((name) => zip.files.has(name)) || problems.length > 0) return;
  await zip.close();
  throw badInput(
    `${zipFile} is a ZIP archive but not a Custos bundle: it has no ${BUNDLE_FILES.manifest}, ${BUNDLE_FILES.checksums} or ${BUNDLE_FILES.signature}`,
  );
}

/** A reader of control files that records a missing or unreadable one as a problem, and keeps what it read in `read`. */
function controlFileReader(
  zip: InspectedZip,
  limits: ZipLimits,
  problems: BundleProblem[],
  read: Map<string, Buffer>,
): ControlFileReader {
  return async (name) => {
    const entry = zip.files.get(name);
    if (!entry) {
      problems.push({ path: name, problem: 'missing from the bundle' });
      return null;
    }
    try {
      const bytes = await readEntryBytes(zip, entry, limits.maxControlFileBytes);
      read.set(name, bytes);
      return bytes;
    } catch (error) {
      if (isFileReadFailure(error)) throw error; // the disk's or the path's, not the entry's
      problems.push({ path: name, problem: `cannot be read: ${(error as Error).message}` });
      return null;
    }
  };
}

/** Reads the signer's key and checks the manifest's signature with it, and the expected signer. */
async function checkSignature(
  control: ControlFileReader,
  expectSigner: string | undefined,
  problems: BundleProblem[],
): Promise<SignatureCheck> {
  const manifestBytes = await control(BUNDLE_FILES.manifest);
  const signature = await control(BUNDLE_FILES.signature);
  const pemBytes = await control(BUNDLE_FILES.signerKey);
  let signerPem: string | null = null;
  let signer: string | null = null;
  if (pemBytes) {
    try {
      const key = createPublicKey(pemBytes.toString('utf8'));
      if (key.asymmetricKeyType !== 'ed25519')
        problems.push({
          path: BUNDLE_FILES.signerKey,
          problem: `is a ${key.asymmetricKeyType} key, not Ed25519`,
        });
      else {
        signerPem = pemBytes.toString('utf8');
        signer = keyFingerprint(signerPem);
      }
    } catch (error) {
      problems.push({
        path: BUNDLE_FILES.signerKey,
        problem: `is not a readable public key (${(error as Error).message})`,
      });
    }
  }
  if (manifestBytes && signature && signerPem) {
    if (signature.length !== 64)
      problems.push({
        path: BUNDLE_FILES.signature,
        problem: `is ${signature.length} bytes; an Ed25519 signature is 64`,
      });
    else if (!verifySignature(signerPem, manifestBytes, signature)) {
      problems.push({
        path: BUNDLE_FILES.signature,
        problem: `does not verify with ${BUNDLE_FILES.signerKey}: ${BUNDLE_FILES.manifest} was changed after signing, or the signature is from another key`,
      });
    }
  }
  if (expectSigner !== undefined && signer !== null && signer !== expectSigner) {
    problems.push({
      path: BUNDLE_FILES.signerKey,
      problem: `the bundle is signed by key ${signer}, not the expected ${expectSigner}: it was re-signed by someone else`,
    });
  }
  return { manifestBytes, signerPem, signer };
}

/** Parses the manifest and checks its format version and that it names the signer's key as the exporter's. */
function readManifest(
  manifestBytes: Buffer | null,
  signer: string | null,
  problems: BundleProblem[],
): BundleManifest | null {
  let manifest: BundleManifest | null = null;
  if (manifestBytes) {
    let json: unknown;
    const text = manifestBytes.toString('utf8');
    try {
      json = JSON.parse(text);
    } catch (error) {
      problems.push({
        path: BUNDLE_FILES.manifest,
        problem: `is not valid JSON (${(error as Error).message})`,
      });
    }
    const protoAt = json === undefined ? null : protoKeyPath(json, text);
    if (protoAt) {
      problems.push({
        path: BUNDLE_FILES.manifest,
        problem: `is not a bundle manifest: ${describeShapeProblem({ path: protoAt, message: 'holds a "__proto__" key, which JSON readers disagree on; the manifest was changed' })}`,
      });
    } else if (json !== undefined) {
      const checked = checkShape(MANIFEST_SHAPE, json);
      if (!checked.ok) {
        problems.push({
          path: BUNDLE_FILES.manifest,
          problem: `is not a bundle manifest: ${describeShapeProblem(checked.problem)}`,
        });
      } else manifest = checked.value;
    }
  }
  if (manifest && !READABLE_FORMAT_VERSIONS.has(manifest.formatVersion)) {
    problems.push({
      path: BUNDLE_FILES.manifest,
      problem: `is bundle format ${manifest.formatVersion}; this Custos reads formats ${[...READABLE_FORMAT_VERSIONS].join(' and ')}`,
    });
  }
  if (manifest && signer && manifest.exporter.keyFingerprint !== signer) {
    problems.push({
      path: BUNDLE_FILES.signerKey,
      problem: `its fingerprint ${signer} is not the exporter's key ${manifest.exporter.keyFingerprint} named in the manifest`,
    });
  }
  return manifest;
}

/** The keys custody entries may be signed with, by fingerprint: the signer's and each manifest key whose fingerprint checks. */
export function custodyKeys(
  manifest: BundleManifest | null,
  signer: string | null,
  signerPem: string | null,
  problems: BundleProblem[],
): Map<string, string> {
  const keys = new Map<string, string>();
  if (signer && signerPem) keys.set(signer, signerPem);
  manifest?.keys.forEach((key, index) => {
    let fingerprint: string | null = null;
    try {
      fingerprint = keyFingerprint(key.publicKeyPem);
    } catch {
      // reported below
    }
    if (fingerprint !== key.keyFingerprint) {
      problems.push({
        path: BUNDLE_FILES.manifest,
        problem: `keys[${index}]: its public key does not have the fingerprint ${key.keyFingerprint}`,
      });
    } else keys.set(fingerprint, key.publicKeyPem);
  });
  return keys;
}

/** custody.jsonl's SHA-256, its lines going to `checker` as they stream, or why it could not be read. */
function hashCustody(
  zip: InspectedZip,
  custody: ZipFileEntry,
  checker: CustodySegmentChecker,
): Promise<EntryDigest> {
  return hashFile(zip, custody, checker).then(
    (sha256): EntryDigest => ({ sha256 }),
    (error: Error): EntryDigest => {
      const code = errorCode(error);
      return { error: error.message, ...(code ? { code } : {}) };
    },
  );
}

/**
 * Ends the check when a file's hash failed for the file's sake, not its content's: its disk failed
 * (the device error, thrown as one for the caller to word) or the path held another file
 * (`fileChanged`). Either says nothing of the bundle's integrity (exit 3, not a problem: exit 1).
 */
function throwFileReadFailure(zipFile: string, found: readonly ReadonlyMap<string, EntryDigest>[]): void {
  for (const digests of found)
    for (const digest of digests.values()) {
      const code = 'error' in digest ? digest.code : undefined;
      if (code === FILE_CHANGED) throw fileChanged(zipFile);
      if (isDeviceFailure({ code }))
        throw Object.assign(new Error((digest as { error: string }).error), { code });
    }
}

/**
 * The control files' digests (READ_WHOLE_HERE), from the bytes this thread read; one it could not
 * read is hashed by the threads as any other file is, so that its problem is worded alike.
 */
async function controlFileDigests(
  threads: VerifyThreads,
  zip: InspectedZip,
  read: ReadonlyMap<string, Buffer>,
): Promise<Map<string, EntryDigest>> {
  const digests = new Map<string, EntryDigest>();
  const unread: ZipFileEntry[] = [];
  for (const name of READ_WHOLE_HERE) {
    const entry = zip.files.get(name);
    const bytes = read.get(name);
    if (bytes) digests.set(name, { sha256: sha256Hex(bytes) });
    else if (entry) unread.push(entry);
  }
  if (unread.length > 0)
    for (const [name, digest] of await threads.hash(zip, unread)) digests.set(name, digest);
  return digests;
}

/**
 * The SHA-256 of every file in the ZIP (`files`, by name), in the ZIP's order, from the digests
 * found (by the threads, of the control files, of custody.jsonl); a file that could not be read,
 * or that none of them hashed, is a problem: it would otherwise go unchecked and drop out of the
 * evidence hash without a word.
 */
export function hashResults(
  files: ReadonlyMap<string, unknown>,
  found: readonly ReadonlyMap<string, EntryDigest>[],
  problems: BundleProblem[],
): Map<string, string> {
  const hashes = new Map<string, string>();
  for (const name of files.keys()) {
    const digest = found.map((digests) => digests.get(name)).find((d) => d !== undefined);
    if (!digest)
      problems.push({
        path: name,
        problem: 'was not hashed, so it was not checked against the signed lists: verify the bundle again',
      });
    else if ('sha256' in digest) hashes.set(name, digest.sha256);
    else problems.push({ path: name, problem: `cannot be read: ${digest.error}` });
  }
  return hashes;
}

/** Compares the files against the signed manifest and SHA256SUMS: added, changed and missing files. */
function checkFilesAgainstLists(
  files: ReadonlyMap<string, ZipFileEntry>,
  hashes: ReadonlyMap<string, string>,
  lists: {
    readonly manifest: BundleManifest | null;
    readonly sums: ReadonlyMap<string, string> | null;
    readonly formatVersion: number;
  },
  problems: BundleProblem[],
): void {
  const { manifest, sums } = lists;
  const outsideManifest = filesOutsideManifest(lists.formatVersion);
  const outsideChecksums = filesOutsideChecksums(lists.formatVersion);
  const expected = new Map<string, ListedFile>();
  for (const item of manifest?.items ?? [])
    for (const artifact of item.artifacts) expected.set(artifact.path, artifact);
  for (const file of manifest?.files ?? []) expected.set(file.path, file);
  for (const entry of files.values()) {
    const hash = hashes.get(entry.name);
    if (hash === undefined) continue;
    const listed = expected.get(entry.name);
    if (manifest && !listed && !outsideManifest.has(entry.name)) {
      problems.push({ path: entry.name, problem: 'is not listed in the signed manifest: a file was added' });
    } else if (listed && (listed.sha256 !== hash || listed.size !== entry.size)) {
      problems.push({
        path: entry.name,
        problem: `content differs from the signed manifest: it hashes to ${hash}, the manifest says ${listed.sha256}`,
      });
    }
    if (sums && !outsideChecksums.has(entry.name)) {
      const sum = sums.get(entry.name);
      if (sum === undefined)
        problems.push({ path: entry.name, problem: `is not listed in ${BUNDLE_FILES.checksums}` });
      else if (sum !== hash)
        problems.push({
          path: entry.name,
          problem: `does not match ${BUNDLE_FILES.checksums}: it hashes to ${hash}, the list says ${sum}`,
        });
    }
  }
  for (const listed of expected.keys()) {
    if (!files.has(listed) && !problems.some((p) => p.path === listed)) {
      problems.push({ path: listed, problem: 'is missing from the bundle (the signed manifest lists it)' });
    }
  }
  for (const listed of sums?.keys() ?? []) {
    if (!files.has(listed) && !expected.has(listed) && !problems.some((p) => p.path === listed)) {
      problems.push({
        path: listed,
        problem: `is missing from the bundle (${BUNDLE_FILES.checksums} lists it)`,
      });
    }
  }
}

/** Reports the custody lines' problems and whether the chain is the one the signed manifest names. */
function checkCustodyChain(
  checker: CustodySegmentChecker,
  manifest: BundleManifest | null,
  hasCustodyFile: boolean,
  problems: BundleProblem[],
): void {
  for (const problem of checker.problems)
    problems.push({ path: BUNDLE_FILES.custody, problem: `line ${problem.line}: ${problem.problem}` });
  if (!manifest || !hasCustodyFile) return;
  const span = checker.span;
  const m = manifest.custody;
  if (!span) problems.push({ path: BUNDLE_FILES.custody, problem: 'holds no entry' });
  else if (
    span.firstSeq !== m.firstSeq ||
    span.lastSeq !== m.lastSeq ||
    span.headHash !== m.headHash ||
    checker.lines !== m.lines
  ) {
    problems.push({
      path: BUNDLE_FILES.custody,
      problem: `does not match the signed manifest: it runs from entry ${span.firstSeq} to ${span.lastSeq} (${checker.lines} lines, head ${span.headHash.slice(0, 16)}…), the manifest says ${m.firstSeq} to ${m.lastSeq} (${m.lines} lines, head ${m.headHash.slice(0, 16)}…)`,
    });
  }
}

/** Format 2: custody-bodies.jsonl must hold, line by line, the exact bytes custody.jsonl's entries hash and sign. */
function checkCustodyBodies(
  checker: CustodySegmentChecker,
  hashes: ReadonlyMap<string, string>,
  problems: BundleProblem[],
): void {
  const actual = hashes.get(BUNDLE_FILES.custodyBodies);
  if (actual === undefined) {
    if (!problems.some((p) => p.path === BUNDLE_FILES.custodyBodies))
      problems.push({ path: BUNDLE_FILES.custodyBodies, problem: 'missing from the bundle' });
    return;
  }
  if (actual !== checker.expectedBodiesHash()) {
    problems.push({
      path: BUNDLE_FILES.custodyBodies,
      problem: `is not, line by line, the signed bodies of the entries in ${BUNDLE_FILES.custody}`,
    });
  }
}

/** Format 2: item-records.jsonl must hold, line by line, each manifest item's record as canonical JSON. */
function checkItemRecords(
  itemChecks: ItemChecks | null,
  hashes: ReadonlyMap<string, string>,
  problems: BundleProblem[],
): void {
  if (!itemChecks) return;
  const actual = hashes.get(BUNDLE_FILES.itemRecords);
  if (actual === undefined) {
    if (!problems.some((p) => p.path === BUNDLE_FILES.itemRecords))
      problems.push({ path: BUNDLE_FILES.itemRecords, problem: 'missing from the bundle' });
    return;
  }
  if (itemChecks.recordsSha256 === null) {
    problems.push({
      path: BUNDLE_FILES.itemRecords,
      problem: `cannot be checked: a capture record in ${BUNDLE_FILES.manifest} cannot be encoded as canonical JSON`,
    });
  } else if (actual !== itemChecks.recordsSha256) {
    problems.push({
      path: BUNDLE_FILES.itemRecords,
      problem: `is not, line by line, the canonical capture records of the items in ${BUNDLE_FILES.manifest}`,
    });
  }
}

/** The evidence hash of the files as they are (the report prints it on every page). */
function evidenceOf(hashes: ReadonlyMap<string, string>): string {
  return evidenceHash([...hashes].map(([p, sha256]) => ({ path: p, sha256 })));
}

/** What checking the manifest's items found, worked out while the threads hash. */
interface ItemChecks {
  readonly manifest: BundleManifest;
  /** Each item's problems, in the manifest's order. */
  readonly problems: readonly BundleProblem[][];
  /** The SHA-256 item-records.jsonl must have (format 2); null when a record cannot be encoded. */
  readonly recordsSha256: string | null;
}

/**
 * Each item's problems (`checkItem`) and the hash item-records.jsonl must have, from one canonical
 * encoding of each record; needs only the manifest and the custody lines, not the files' hashes.
 */
function checkItemsAhead(manifest: BundleManifest, checker: CustodySegmentChecker): ItemChecks {
  const records = manifest.items.map((item) => encodeRecord(item.record));
  const encoded = records.filter((record) => typeof record === 'string');
  return {
    manifest,
    problems: manifest.items.map((item, i) =>
      checkItem(item, manifest, checker.entriesBySubject.get(item.id) ?? [], records[i]),
    ),
    recordsSha256: encoded.length === records.length ? sha256Hex(itemRecordLines(encoded)) : null,
  };
}

/** Why a capture record cannot be encoded as canonical JSON (a changed record, never one Custos wrote). */
interface UnencodableRecord {
  readonly reason: string;
}

/**
 * A record's canonical JSON, or why it has none: JSON.parse gives values JCS refuses (1e400 is
 * Infinity, "\ud800" a lone surrogate) or nests deeper than the encoder's stack, which must be
 * reported against the item, not end verify without a report.
 */
function encodeRecord(record: unknown): string | UnencodableRecord {
  try {
    return canonicalJson(record);
  } catch (error) {
    return { reason: error instanceof Error ? error.message : String(error) };
  }
}

/** Each item as reported: its problems added after the files' (valid when no problem names it). */
function reportItems(
  manifest: BundleManifest | null,
  itemChecks: ItemChecks | null,
  problems: BundleProblem[],
): Omit<VerifiedItem, 'trustedTime'>[] {
  if (!manifest || !itemChecks) return [];
  return manifest.items.map((item, i) => {
    const found = itemChecks.problems[i] ?? [];
    problems.push(...found);
    return {
      id: item.id,
      kind: item.kind,
      sourceUrl: item.sourceUrl,
      capturedAt: item.capturedAt,
      digest: item.digest,
      artifacts: item.artifacts.length,
      valid: found.length === 0 && !problems.some((p) => p.path.startsWith(itemFolder(item.id))),
    };
  });
}

/** The earliest valid timestamp time of each subject (an item id or `ledger-head`). */
function earliestTrustedTimes(timestamps: readonly VerifiedTimestamp[]): Map<string, string> {
  const trustedTimes = new Map<string, string>();
  for (const t of timestamps) {
    const earlier = trustedTimes.get(t.covers);
    if (t.valid && (!earlier || t.time < earlier)) trustedTimes.set(t.covers, t.time);
  }
  return trustedTimes;
}

/**
 * Reads SHA256SUMS into a map by path, recording malformed lines and paths listed twice; from
 * format 2 on, also checks its signature (SHA256SUMS.sig) with the signer's key.
 */
async function readChecksums(
  control: ControlFileReader,
  formatVersion: number,
  signerPem: string | null,
  problems: BundleProblem[],
): Promise<Map<string, string> | null> {
  const bytes = await control(BUNDLE_FILES.checksums);
  if (formatVersion >= 2) {
    const signature = await control(BUNDLE_FILES.checksumsSignature);
    if (bytes && signature && signerPem && !verifySignature(signerPem, bytes, signature)) {
      problems.push({
        path: BUNDLE_FILES.checksumsSignature,
        problem: `does not verify with ${BUNDLE_FILES.signerKey}: ${BUNDLE_FILES.checksums} was changed after signing, or the signature is from another key`,
      });
    }
  }
  if (!bytes) return null;
  const parsed = parseChecksums(bytes.toString('utf8'));
  if (parsed.malformed.length) {
    problems.push({
      path: BUNDLE_FILES.checksums,
      problem: `lines ${parsed.malformed.join(', ')} are not in sha256sum's format`,
    });
  }
  for (const duplicate of parsed.duplicates)
    problems.push({ path: BUNDLE_FILES.checksums, problem: `lists ${duplicate} twice` });
  return new Map(parsed.lines.map((line) => [line.path, line.sha256]));
}

/** Hashes custody.jsonl, feeding each complete line to the checker as the bytes stream. */
async function hashFile(
  zip: InspectedZip,
  entry: ZipFileEntry,
  checker: CustodySegmentChecker,
): Promise<string> {
  let rest = '';
  const decoder = new TextDecoder('utf-8');
  const hash = await hashEntry(zip, entry, (chunk) => {
    const lines = (rest + decoder.decode(chunk, { stream: true })).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) checker.checkLine(line);
  });
  rest += decoder.decode();
  if (rest !== '') checker.checkLine(rest);
  return hash;
}

/**
 * An item's problems: digest, record and artifacts, and the custody entry that created it.
 * `canonicalRecord` is the record's canonical JSON (or why it has none), when the caller has it already.
 */
export function checkItem(
  item: BundleManifest['items'][number],
  manifest: BundleManifest,
  entries: readonly LedgerEntry[],
  canonicalRecord = encodeRecord(item.record),
): BundleProblem[] {
  const where = itemFolder(item.id);
  const problems: BundleProblem[] = [];
  if (typeof canonicalRecord !== 'string') {
    problems.push({
      path: where,
      problem: `its capture record cannot be encoded as canonical JSON (${canonicalRecord.reason}): the record was changed`,
    });
  } else {
    const digest = sha256Hex(canonicalRecord);
    if (digest !== item.digest)
      problems.push({
        path: where,
        problem: `its capture record hashes to ${digest}, not its digest ${item.digest}: the record was changed`,
      });
  }
  const checked = checkShape(CAPTURE_RECORD_SHAPE, item.record);
  if (!checked.ok) {
    problems.push({
      path: where,
      problem: `its capture record is not a format 1 record: ${describeShapeProblem(checked.problem)}`,
    });
  }
  const record = checked.ok ? checked.value : null;
  if (record && record.itemId !== item.id)
    problems.push({ path: where, problem: `its capture record belongs to item ${record.itemId}` });
  if (record && record.caseId !== manifest.case.id)
    problems.push({
      path: where,
      problem: `its capture record belongs to case ${record.caseId}, not the bundle's case`,
    });
  if (record && record.capturedAt !== item.capturedAt)
    problems.push({ path: where, problem: 'its capture time differs from its capture record' });
  const recorded = record?.artifacts ?? [];
  if (record && recorded.length !== item.artifacts.length) {
    problems.push({
      path: where,
      problem: `the manifest lists ${item.artifacts.length} artifacts, its capture record ${recorded.length}`,
    });
  }
  item.artifacts.forEach((artifact, index) => {
    const r = recorded[index];
    if (!artifact.path.startsWith(where) || artifact.path.slice(where.length).includes('/')) {
      problems.push({ path: artifact.path, problem: `is not inside its item's folder ${where}` });
    }
    if (
      r &&
      (r.role !== artifact.role ||
        r.mediaType !== artifact.mediaType ||
        r.size !== artifact.size ||
        r.sha256 !== artifact.sha256)
    ) {
      problems.push({
        path: artifact.path,
        problem: 'differs from the artifact its capture record lists (role, type, size or SHA-256)',
      });
    }
  });
  const creating = entries.find((e) => e.caseId === manifest.case.id && e.details.digest === item.digest);
  if (!creating) {
    problems.push({
      path: where,
      problem: `no custody entry in ${BUNDLE_FILES.custody} signs its digest ${item.digest}`,
    });
  }
  return problems;
}

async function checkTimestamps(
  zip: InspectedZip,
  control: (name: string) => Promise<Buffer | null>,
  files: ReadonlyMap<string, ZipFileEntry>,
  manifest: BundleManifest | null,
  custodyHashes: ReadonlySet<string>,
  context: {
    readonly problems: BundleProblem[];
    readonly warnings: BundleProblem[];
    readonly limits: ZipLimits;
    readonly rootsPem: readonly string[];
    readonly investigatorRoots: readonly InvestigatorRoot[];
    readonly threads: number | undefined;
    readonly next: NextStep;
  },
): Promise<VerifiedTimestamp[]> {
  const { problems, warnings, limits } = context;
  if (!files.has(BUNDLE_FILES.timestampIndex)) {
    // Tolerated only when the signed manifest does not list it either (then its absence is reported above).
    return [];
  }
  const bytes = await control(BUNDLE_FILES.timestampIndex);
  if (!bytes) return [];
  let index: TimestampIndexEntry[];
  try {
    const checked = checkShape(TIMESTAMP_INDEX_SHAPE, JSON.parse(bytes.toString('utf8')));
    if (!checked.ok) throw new Error(checked.problem.message);
    index = checked.value;
  } catch (error) {
    problems.push({
      path: BUNDLE_FILES.timestampIndex,
      problem: `is not a list of timestamps: ${(error as Error).message}`,
    });
    return [];
  }
  if (index.length === 0) return [];
  const digests = new Map((manifest?.items ?? []).map((item) => [item.id, item.digest]));
  // The token checks (asn1js, pkijs) are loaded only for a bundle that carries tokens.
  const { startTokenChecks } = await import('./token-check-pool.js');
  const checks = startTokenChecks(
    index.length,
    { recipient: context.rootsPem, investigator: context.investigatorRoots },
    { threads: context.threads },
  );
  const results: VerifiedTimestamp[] = [];
  try {
    // A window of tokens at a time: read in order, checked on every core, reported in index order.
    for (let at = 0; at < index.length; at += TOKEN_WINDOW) {
      const window = index.slice(at, at + TOKEN_WINDOW);
      const read = await Promise.all(window.map((entry) => readToken(entry, files, zip, limits)));
      const outcomes = await Promise.all(
        window.map((entry, i) => {
          const der = read[i]!.der;
          const expected = expectedImprint(entry, digests, custodyHashes);
          return der
            ? checks.check({ der, expected: expected ?? entry.sha256, chainPem: read[i]!.chainPem })
            : null;
        }),
      );
      for (const [i, entry] of window.entries())
        results.push(
          reportToken(entry, read[i]!, outcomes[i]!, {
            digests,
            custodyHashes,
            problems,
            warnings,
            next: context.next,
          }),
        );
    }
  } finally {
    await checks.close();
  }
  return results;
}

/** What an index entry's imprint must equal: the covered item's digest, or a custody entry's hash for the ledger head. */
function expectedImprint(
  entry: TimestampIndexEntry,
  itemDigests: ReadonlyMap<string, string>,
  custodyHashes: ReadonlySet<string>,
): string | null {
  if (entry.covers === LEDGER_HEAD_COVER) return custodyHashes.has(entry.sha256) ? entry.sha256 : null;
  return itemDigests.get(entry.covers) ?? null;
}

/** Tokens read and checked at a time: bounds the memory a bundle of many tokens takes. */
const TOKEN_WINDOW = 256;

/** A token's bytes and chain as read from the bundle, with the faults met reading them. */
interface ReadToken {
  readonly der: Buffer | null;
  readonly chainPem: string | null;
  readonly faults: readonly string[];
}

/** Reads an index entry's token and chain; a missing or unreadable one is a fault. */
async function readToken(
  entry: TimestampIndexEntry,
  files: ReadonlyMap<string, ZipFileEntry>,
  zip: InspectedZip,
  limits: ZipLimits,
): Promise<ReadToken> {
  const faults: string[] = [];
  const read = async (name: string): Promise<Buffer | null> => {
    const file = files.get(name);
    return file ? readEntryBytes(zip, file, limits.maxControlFileBytes) : null;
  };
  const der = await read(entry.file).catch((error: Error) => {
    if (isFileReadFailure(error)) throw error; // the disk's or the path's, not the token's
    faults.push(`cannot be read: ${error.message}`);
    return null;
  });
  const chain = entry.chain
    ? await read(entry.chain).catch((error: unknown) => {
        if (isFileReadFailure(error)) throw error;
        return null;
      })
    : null;
  if (entry.chain && !chain) faults.push(`its chain ${entry.chain} is missing from the bundle or unreadable`);
  if (!der && !files.has(entry.file))
    faults.push(`is missing from the bundle (${BUNDLE_FILES.timestampIndex} lists it)`);
  return { der, chainPem: chain?.toString('utf8') ?? null, faults };
}

/** One token's line of the report, its problems and its warning, from what reading and checking it found. */
function reportToken(
  entry: TimestampIndexEntry,
  read: ReadToken,
  outcome: TokenCheckOutcome | null,
  context: {
    readonly digests: ReadonlyMap<string, string>;
    readonly custodyHashes: ReadonlySet<string>;
    readonly problems: BundleProblem[];
    readonly warnings: BundleProblem[];
    readonly next: NextStep;
  },
): VerifiedTimestamp {
  const { digests } = context;
  const faults: string[] = [];
  const expected = expectedImprint(entry, digests, context.custodyHashes);
  if (expected !== entry.sha256) {
    faults.push(
      entry.covers === LEDGER_HEAD_COVER
        ? `covers the ledger head, but its imprint ${entry.sha256} is the hash of no entry in ${BUNDLE_FILES.custody}`
        : digests.has(entry.covers)
          ? `covers item ${entry.covers}, but its imprint ${entry.sha256} is not that item's digest ${expected}`
          : `covers ${entry.covers}, which is no item of this bundle`,
    );
  }
  faults.push(...read.faults);
  let time = entry.time;
  let tsa = entry.tsaName ?? entry.tsa;
  let untrusted: string | null = null;
  if (outcome) {
    // A token must stamp what it claims to cover; when that is unknown, its own claim is checked.
    const { check } = outcome;
    faults.push(...check.faults);
    untrusted = check.untrusted && untrustedWithAdvice(check.untrusted, context.next);
    time = check.verification.genTime ?? time;
    tsa = check.verification.tsa ?? tsa;
    if (check.verification.genTime && entry.time && check.verification.genTime !== entry.time) {
      faults.push(
        `${BUNDLE_FILES.timestampIndex} says ${entry.time}, the token itself ${check.verification.genTime}`,
      );
    }
  }
  for (const fault of faults) context.problems.push({ path: entry.file, problem: fault });
  const finding = read.der && faults.length === 0 ? (outcome?.finding ?? null) : null;
  if (untrusted && faults.length === 0)
    context.warnings.push({
      path: entry.file,
      problem: finding?.trust === 'investigator-root' ? describeTrust(finding, context.next) : untrusted,
    });
  return {
    file: entry.file,
    covers: entry.covers,
    sha256: entry.sha256,
    tsa,
    tsaUrl: entry.tsa,
    chain: entry.chain ?? null,
    time,
    valid: faults.length === 0 && !untrusted,
    trusted: !untrusted,
    trust: finding?.trust ?? null,
    rootEntry: finding?.root?.seq ?? null,
    problem: faults.length > 0 ? faults.join('; ') : untrusted,
  };
}
