import path from 'node:path';
import type { LedgerEntry } from '../../../shared/domain.js';
import { integrityFailure } from '../errors.js';
import { requireRegularFile } from '../regular-file.js';
import { SourceReadError, sourceChunks } from '../store/blob-store.js';
import { canonicalJson, sha256Hex } from '../store/canonical-json.js';
import type { EvidenceStore } from '../store/evidence-store.js';
import * as q from '../store/queries.js';
import {
  describeDecryptedCopyFailure,
  describeSourceReadFailure,
  isDeviceFailure,
} from '../system-errors.js';
import { userTrustedRoots } from '../timestamp/timestamp-settings.js';
import { ageFormatOf } from './age-keys.js';
import { sha256OfFile } from './export-bundle.js';
import { BUNDLE_FILES, type BundleManifest, type ManifestItem } from './format.js';
import * as rq from './received-queries.js';
import {
  createReceivedCase,
  ensureCase,
  keepReceived,
  newArtifactBytes,
  planItems,
  type ReceivedItem,
  requireSpace,
} from './record-received.js';
import {
  type CheckedBundle,
  type VerifiedTimestamp,
  type VerifyOptions,
  type VerifyReport,
  withCheckedBundle,
} from './verify-bundle.js';
import { type InspectedZip, openEntry, readEntryBytes, type ZipFileEntry } from './zip-reader.js';

export type { ReceivedItem } from './record-received.js';

/** The result of `custos receive`. */
export interface ReceiveResult {
  /** True when this bundle had been received before: nothing was changed. */
  readonly alreadyReceived: boolean;
  readonly zipSha256: string;
  readonly fileSha256: string;
  readonly signer: string;
  readonly case: { readonly id: string; readonly number: string; readonly title: string };
  readonly items: readonly ReceivedItem[];
  /** The custody-transfer entry (the earlier one when already received). */
  readonly ledgerSeq: number;
  readonly receivedAt: string;
}

/** The verification failed: the report says why; nothing was written. */
export class BundleRejected extends Error {
  constructor(readonly report: VerifyReport) {
    super(`the bundle does not verify (${report.problems.length} problem(s)); nothing was received`);
  }
}

/** What a receive that failed wrote: nothing the ledger or an item refers to. */
const NOTHING_RECEIVED = 'nothing was received';

/**
 * Receives a bundle into the store (sealed bundles are opened with `options.seal`). A read of the
 * bundle that its own disk fails (a USB stick) is worded as that disk's (`describeSourceReadFailure`,
 * as import words its source's), never as the store's; a read of a sealed bundle's decrypted copy
 * as the system temporary folder's disk's (`describeDecryptedCopyFailure`, as verify words it). Only reads known to be of these files are so worded (SourceReadError).
 */
export async function receiveBundle(
  store: EvidenceStore,
  file: string,
  options: VerifyOptions = {},
): Promise<ReceiveResult> {
  try {
    return await receiveVerified(store, file, options);
  } catch (error) {
    // Only reads known to be of the bundle (or of its decrypted copy) are worded by their file's
    // disk: the store's own failures, raw or worded, are the store disk's.
    if (!(error instanceof SourceReadError)) throw error;
    // The decrypted copy of a sealed bundle lives in the system's temporary folder: its disk, not
    // the .age file's, failed (as verify says), and the copy is gone once this returns.
    if (error.source !== file)
      throw (
        describeDecryptedCopyFailure(error.cause, error.source.toString(), file, 'read', NOTHING_RECEIVED) ??
        error
      );
    throw (
      describeSourceReadFailure(error.cause, error.source.toString(), NOTHING_RECEIVED, 'receive the copy') ??
      error
    );
  }
}

/** `read` of `source` (the bundle, or its decrypted copy), a device's failure of it told as a SourceReadError of it. */
async function reading<T>(source: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw isDeviceFailure(error) ? new SourceReadError(source, error) : error;
  }
}

async function receiveVerified(
  store: EvidenceStore,
  file: string,
  options: VerifyOptions,
): Promise<ReceiveResult> {
  await requireRegularFile(file, file, NOTHING_RECEIVED); // before reading: a FIFO would hang holding the writer lock
  const receiver = store.requireInvestigator();
  store.signer();
  const fileHash = await reading(file, () => sha256OfFile(file));
  // Tokens are judged by the roots this store trusts (besides Node's), as when it stamps its own items.
  const verifyOptions = { ...options, tsaRootsPem: options.tsaRootsPem ?? userTrustedRoots(store.db) };
  // Opening and checking an unsealed bundle reads it alone (its ZIP directory, its control files);
  // a sealed one's check also writes and reads its decrypted copy, whose disk is not the bundle's.
  const sealed = ageFormatOf(file) !== null;
  let checked = false;
  const receiving = withCheckedBundle(file, verifyOptions, async (bundle) => {
    checked = true;
    const { report, manifest } = bundle;
    if (!report.valid || !manifest || !bundle.manifestBytes || !bundle.signerPem || !bundle.zip)
      throw new BundleRejected(report);
    const zipSha256 =
      bundle.zipFile === file
        ? fileHash.sha256
        : (await reading(bundle.zipFile, () => sha256OfFile(bundle.zipFile))).sha256;
    const earlier = rq.findReceivedBundle(store.db, zipSha256);
    if (earlier) return alreadyReceived(store, manifest, earlier, fileHash.sha256);

    const plan = planItems(store, manifest);
    requireSpace(store, newArtifactBytes(plan), 'receiving', 'received');
    // Artifacts become blobs before the transaction (as an import does); a blob no item references
    // yet is harmless and `custos audit` reports it as a notice.
    for (const item of plan.filter((p) => p.status === 'imported'))
      await storeArtifacts(store, bundle, item.item);
    const custody = await readCustody(bundle);
    const imported = new Set(plan.filter((p) => p.status === 'imported').map((p) => p.item.id));
    const tokens = await storeTokens(store, bundle, imported);

    const caseRow = ensureCase(store, manifest);
    const exporter = manifest.exporter;
    const transfer = store.transaction((db) => {
      createReceivedCase(store, db, caseRow, zipSha256);
      const entry = store.appendInTransaction(db, {
        action: 'bundle.receive',
        caseId: caseRow.value.id,
        subject: caseRow.value.id,
        details: {
          file: path.basename(file),
          sha256: fileHash.sha256,
          zipSha256,
          manifestSha256: sha256Hex(bundle.manifestBytes!),
          signer: report.signer,
          exporter: { name: exporter.name, agency: exporter.agency, badge: exporter.badge },
          exportedAt: manifest.exportedAt,
          senderCase: manifest.case,
          senderCustodyHead: { seq: manifest.custody.lastSeq, hash: manifest.custody.headHash },
          items: plan.map((p) => ({ id: p.item.id, digest: p.item.digest, status: p.status })),
          receivedBy: { name: receiver.name, agency: receiver.agency, badge: receiver.badge },
        },
      });
      keepReceived(store, db, entry, plan, {
        zipSha256,
        fileSha256: fileHash.sha256,
        fileName: path.basename(file),
        caseId: caseRow.value.id,
        manifest,
        manifestBytes: bundle.manifestBytes!,
        signature: custody.signature,
        signer: report.signer!,
        signerPem: bundle.signerPem!,
        custodyLines: custody.lines,
        keys: bundle.keys,
      });
      for (const token of tokens) recordReceivedToken(store, db, token, zipSha256, entry.time);
      return entry;
    });
    return {
      alreadyReceived: false,
      zipSha256,
      fileSha256: fileHash.sha256,
      signer: report.signer!,
      case: { id: caseRow.value.id, number: caseRow.value.number, title: caseRow.value.title },
      items: plan.map((p) => ({ id: p.item.id, digest: p.item.digest, status: p.status })),
      ledgerSeq: transfer.seq,
      receivedAt: transfer.time,
    };
  });
  try {
    return await receiving;
  } catch (error) {
    // Before the work, a device's failure of an unsealed bundle was a read of it.
    throw !checked && !sealed && isDeviceFailure(error) ? new SourceReadError(file, error) : error;
  }
}

function alreadyReceived(
  store: EvidenceStore,
  manifest: BundleManifest,
  earlier: rq.ReceivedBundleRow,
  fileSha256: string,
): ReceiveResult {
  const caseRow = q.findCase(store.db, earlier.caseId);
  return {
    alreadyReceived: true,
    zipSha256: earlier.zipSha256,
    fileSha256,
    signer: earlier.signerFingerprint,
    case: {
      id: earlier.caseId,
      number: caseRow?.number ?? manifest.case.number,
      title: caseRow?.title ?? manifest.case.title,
    },
    items: manifest.items.map((item) => ({
      id: item.id,
      digest: item.digest,
      status: 'already-held' as const,
    })),
    ledgerSeq: earlier.ledgerSeq,
    receivedAt: earlier.receivedAt,
  };
}

/** Streams an item's artifacts from the ZIP into the blob store, checking each SHA-256 again. */
async function storeArtifacts(
  store: EvidenceStore,
  bundle: CheckedBundle,
  item: ManifestItem,
): Promise<void> {
  for (const artifact of item.artifacts) {
    const entry = bundle.zip!.files.get(artifact.path);
    if (!entry)
      throw integrityFailure(`${artifact.path} disappeared from the bundle while it was being received`);
    // A failed read is the bundle's disk's (a USB stick), not the store's that the write would blame.
    const stored = await store.blobs.putChunks(sourceChunks(entryChunks(bundle.zip!, entry), bundle.zipFile));
    if (stored.sha256 !== artifact.sha256 || stored.size !== artifact.size) {
      throw integrityFailure(
        `${artifact.path} changed while it was being received (it now hashes to ${stored.sha256}); nothing was received`,
      );
    }
  }
}

/**
 * An entry's bytes, its stream opened only once they are asked for: opened before (while the blob
 * store makes its temporary file), a read that failed at once had no one listening for the error,
 * which ended the process.
 */
async function* entryChunks(zip: InspectedZip, entry: ZipFileEntry): AsyncGenerator<Uint8Array> {
  yield* await openEntry(zip, entry);
}

/** A received item's token, its bytes and chain stored as blobs. */
interface StoredToken {
  readonly stamp: VerifiedTimestamp;
  readonly tokenSha256: string;
  readonly chainSha256: string;
}

/**
 * Stores the tokens of newly received items that verified and chain to a root this store trusts.
 * A token this store cannot trust is left in the bundle (and the item is stamped here instead).
 */
async function storeTokens(
  store: EvidenceStore,
  bundle: CheckedBundle,
  imported: ReadonlySet<string>,
): Promise<StoredToken[]> {
  const zip = bundle.zip!;
  const stored: StoredToken[] = [];
  for (const stamp of bundle.report.timestamps) {
    if (!stamp.valid || !imported.has(stamp.covers)) continue;
    const tokenEntry = zip.files.get(stamp.file);
    const chainEntry = stamp.chain ? zip.files.get(stamp.chain) : undefined;
    if (!tokenEntry || !chainEntry) continue;
    const token = await store.blobs.putChunks(sourceChunks(entryChunks(zip, tokenEntry), zip.file));
    const chain = await store.blobs.putChunks(sourceChunks(entryChunks(zip, chainEntry), zip.file));
    stored.push({ stamp, tokenSha256: token.sha256, chainSha256: chain.sha256 });
  }
  return stored;
}

/** A received token as a granted row with its `timestamp.granted` entry (what audit matches). */
function recordReceivedToken(
  store: EvidenceStore,
  db: Parameters<Parameters<EvidenceStore['transaction']>[0]>[0],
  token: StoredToken,
  zipSha256: string,
  at: string,
): void {
  const { stamp } = token;
  rq.insertReceivedToken(db, {
    covers: stamp.covers,
    imprint: stamp.sha256,
    tsaUrl: stamp.tsaUrl,
    tsaName: stamp.tsa,
    genTime: stamp.time,
    tokenSha256: token.tokenSha256,
    chainSha256: token.chainSha256,
    at,
  });
  store.appendInTransaction(db, {
    action: 'timestamp.granted',
    caseId: q.findItem(db, stamp.covers)?.caseId ?? null,
    subject: stamp.covers,
    details: {
      imprint: stamp.sha256,
      tsaUrl: stamp.tsaUrl,
      tsa: stamp.tsa,
      genTime: stamp.time,
      tokenSha256: token.tokenSha256,
      chainSha256: token.chainSha256,
      receivedIn: zipSha256,
    },
  });
}

/** Reads the sender's custody lines and signature again (checked against the hashes verify saw). */
async function readCustody(bundle: CheckedBundle) {
  const zip = bundle.zip!;
  const custodyEntry = zip.files.get(BUNDLE_FILES.custody)!;
  const text = (await readEntryBytes(zip, custodyEntry, Number.MAX_SAFE_INTEGER)).toString('utf8');
  const listed = bundle.manifest!.files.find((f) => f.path === BUNDLE_FILES.custody);
  if (!listed || sha256Hex(text) !== listed.sha256)
    throw integrityFailure(`${BUNDLE_FILES.custody} changed while it was being received`);
  const lines = text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const value = JSON.parse(line) as LedgerEntry | { seq: number; hash: string; omitted: true };
      return { seq: value.seq, hash: value.hash, entry: 'omitted' in value ? null : canonicalJson(value) };
    });
  const signature = await readEntryBytes(zip, zip.files.get(BUNDLE_FILES.signature)!, 64);
  return { lines, signature };
}
