/**
 * `custos export`: writes a sealed bundle (docs/BUNDLE-FORMAT.md, format 2) of a case, or of some of its items.
 * The ZIP is written to a temporary file beside the target and linked into place only when whole,
 * so an interrupted export leaves no bundle; then one custody entry records the bundle's SHA-256.
 * A cancel (`signal`) is honoured between steps, between artifacts and inside each artifact's
 * stream, while the report prints, up to the moment the entry is committed: a cancelled export
 * leaves no bundle, no temporary file and no export entry. (A stamp of the ledger head granted
 * before the cancel stays in the ledger: it is true, and the next export carries it.)
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Encrypter } from 'age-encryption';
import type { CaptureRecord, Case, Investigator, LedgerEntry } from '../../../shared/domain.js';
import { TOOL_NAME, TOOL_VERSION } from '../../../shared/version.js';
import { throwIfCancelled } from '../cancel.js';
import { entityCountsOfItems } from '../entities/entity-queries.js';
import { badInput, errorSaying, operationFailure } from '../errors.js';
import type { ReadableDB } from '../store/database.js';
import type { EvidenceStore } from '../store/evidence-store.js';
import { caseEntriesBySubject, localTimeZone } from '../store/ledger.js';
import * as q from '../store/queries.js';
import { makeStoreTempDir } from '../store/store-temp.js';
import { describeSystemError } from '../system-errors.js';
import { stampLedgerHead } from '../timestamp/stamp-queue.js';
import { configuredAuthorities } from '../timestamp/timestamp-settings.js';
import { stampDigest } from '../wacz/digest-stamp.js';
import { isPageCapture, type WrittenWacz, waczPageItem, writeWacz } from '../wacz/wacz-writer.js';
import { type WatchFile, watchFileFor } from '../watch/watch-export.js';
import { type AgeKeys, makeEncrypter, sealStream } from './age-seal.js';
import { type ChecksumLine, formatChecksums } from './checksums.js';
import { type CustodySelection, custodyLines } from './custody.js';
import { custodyBodyText, custodyLineText } from './custody-check.js';
import { evidenceHash, isEvidenceFile } from './evidence-hash.js';
import { ExportFile, removeStalePartials } from './export-file.js';
import {
  BUNDLE_FILES,
  BUNDLE_FORMAT_VERSION,
  type BundleManifest,
  filesOutsideChecksums,
  itemFolder,
  itemRecordsText,
  type ManifestItem,
} from './format.js';
import { ChromiumPdfPrinter, type PdfPrinter, type PrintJob } from './pdf-printer.js';
import { ReadBufferPool, returnBuffersOnWrite } from './read-buffer-pool.js';
import { findReceivedKey } from './received-queries.js';
import { type ReportItem, writeReport } from './report.js';
import { classifyTrust, investigatorRoots, type TrustFinding } from './timestamp-trust.js';
import { type CollectedTimestamps, collectTimestamps, type HeadStamp } from './timestamps.js';
import { verifyText } from './verify-instructions.js';
import { BundleZipWriter, type Hashed, HashingTap, isAlreadyCompressed } from './zip-writer.js';

/** What to export, where, and how to seal it. */
export interface ExportOptions {
  readonly caseRef: string;
  readonly out: string;
  /** Only these items of the case (default: all of them). */
  readonly itemRefs?: readonly string[];
  /** age recipients or a passphrase to seal the bundle for transport. */
  readonly seal?: AgeKeys;
  readonly printer?: PdfPrinter;
  readonly now?: Date;
  /**
   * For a progress line: bytes written so far of the evidence's total, and what the export is doing
   * (`printing`: the evidence is written, the report is still being printed).
   */
  readonly onProgress?: (bytes: number, total: number, stage: ExportStage) => void;
  /** Stops the export (it then throws `Cancelled` and leaves nothing behind). */
  readonly signal?: AbortSignal;
  /** Authorities to stamp the ledger head with (default: the store's list) and a bound on each. */
  readonly timestamping?: { readonly authorities?: readonly string[]; readonly timeoutMs?: number };
}

/** What an export is doing, for a progress line. */
export type ExportStage = 'writing' | 'printing';

/** What an export wrote. */
export interface ExportResult {
  readonly file: string;
  /** SHA-256 of the file written (the sealed file when sealed): for the paper custody form. */
  readonly sha256: string;
  readonly size: number;
  /** SHA-256 of the ZIP itself (the same as `sha256` unless sealed). */
  readonly zipSha256: string;
  /** The evidence hash printed on every page of the report (evidence-hash.ts). */
  readonly evidenceSha256: string;
  readonly sealed: boolean;
  readonly items: readonly string[];
  readonly signer: string;
  readonly ledgerEntry: LedgerEntry;
  readonly headStamp: HeadStamp;
  /** How many timestamp tokens the bundle carries. */
  readonly timestamps: number;
}

/** An item as an export selects it: its stored row, its record, its manifest entry and its blobs. */
export interface ExportItem {
  readonly stored: q.StoredItem;
  readonly record: CaptureRecord;
  readonly manifest: ManifestItem;
  /** Blob path of each manifest artifact, in order. */
  readonly blobFiles: readonly string[];
}

/** Exports a bundle; checks everything it can before it writes anything. */
export async function exportBundle(store: EvidenceStore, options: ExportOptions): Promise<ExportResult> {
  const investigator = store.requireInvestigator();
  const signer = store.signer();
  const caseRow = store.getCase(options.caseRef);
  const out = path.resolve(options.out);
  checkTarget(out);
  const encrypter = makeEncrypter(options.seal ?? {});
  const db = store.db;
  const items = selectItems(store, caseRow.id, options.itemRefs);
  if (items.length === 0) throw badInput(`case ${caseRow.number} has no items; nothing to export`);
  const { signal } = options;
  throwIfCancelled(signal);

  const now = options.now ?? new Date();
  const selection = custodySelection(db, caseRow.id, items);
  store.recordSweep(removeStalePartials(path.dirname(out)));
  const staging = makeStoreTempDir(store.layout, 'export');
  const target = new ExportFile(out);
  let file: fs.WriteStream | undefined;
  const printer = options.printer ?? new ChromiumPdfPrinter();
  let printJob: PrintJob | undefined;
  try {
    // The printer's browser starts now, beside the stamp, the custody, the WACZ and the report
    // (pdf-printer.ts: a second or more, whatever the report's length).
    printJob = printer.begin?.(signal);
    const headStamp = await stampHead(store, options.timestamping);
    throwIfCancelled(signal);
    const custody = writeCustody(store, selection, staging);
    const timestamps = collectTimestamps(
      store,
      items.map((i) => i.stored.id),
      { firstSeq: custody.span.firstSeq, lastSeq: custody.span.lastSeq },
    );
    const investigators = q.listInvestigators(db);
    const wacz = await writeBundledWacz(store, caseRow, items, staging, now, options);
    throwIfCancelled(signal);
    const contents: BundleContents = {
      bundleName: path.basename(out),
      manifestBase: unsignedManifest(db, caseRow, investigator, investigators, custody, items, now),
      investigator,
      investigators,
      items,
      custody,
      timestamps,
      headStamp,
      watchFile: watchFileFor(db, caseRow.id, selection.exportedItemIds),
      wacz,
    };
    const evidence = evidenceHash(await evidenceChecksums(contents));

    const stream = await openBundleStream(target.partial, now, encrypter, totalArtifactBytes(items), options);
    file = stream.file;
    const { writer } = stream;
    addEvidenceFiles(writer, contents);
    const report = await writeReportsBeside(
      writer,
      signal,
      (printSignal) => writeReports(store, staging, contents, evidence, printJob ?? printer, printSignal),
      () => {
        // The evidence's bytes go to disk while the print runs, not after it.
        target.flushAhead();
        options.onProgress?.(totalArtifactBytes(items), totalArtifactBytes(items), 'printing');
      },
    );
    addReportFiles(writer, report);
    const manifestHashed = await addSignedManifest(writer, contents, signer);
    await addSignedChecksums(writer, signer);
    writer.end();
    await Promise.race([stream.written, writer.failure]);
    // The print job's browser closes meanwhile (pdf-printer.ts); waited for before the commit, so
    // that its failure fails the export instead of following a committed bundle.
    const printEnded = printJob?.dispose();
    printEnded?.catch(() => undefined); // thrown below, once the fsync has ended
    await target.sync();
    await printEnded;
    // The last moment a cancel is honoured: from here the entry and the bundle commit together.
    throwIfCancelled(signal);

    const zip = stream.zipTap.result;
    const bundle = stream.fileTap.result;
    const ledgerEntry = await target.commit(store, {
      action: 'bundle.export',
      caseId: caseRow.id,
      subject: caseRow.id,
      details: exportEntryDetails(
        contents,
        { bundle, zip, manifest: manifestHashed, evidence },
        encrypter,
        options.seal,
      ),
    });
    return {
      file: out,
      sha256: bundle.sha256,
      size: bundle.size,
      zipSha256: zip.sha256,
      evidenceSha256: evidence,
      sealed: encrypter !== null,
      items: items.map((i) => i.stored.id),
      signer: investigator.keyFingerprint,
      ledgerEntry,
      headStamp,
      timestamps: timestamps.index.length,
    };
  } catch (error) {
    await target.discard(file);
    throw describeSystemError(error, path.dirname(out)) ?? error;
  } finally {
    await printJob?.dispose();
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * Writes the bundle's page captures as a signed WACZ in the staging folder (its digest stamped when
 * the store has authorities), so that a recipient can replay them in ReplayWeb.page. None when the
 * bundle holds no page capture.
 */
async function writeBundledWacz(
  store: EvidenceStore,
  caseRow: Case,
  items: readonly ExportItem[],
  staging: string,
  now: Date,
  options: Pick<ExportOptions, 'signal' | 'timestamping'>,
): Promise<BundledWacz | null> {
  const pages = items.filter(isPageCapture);
  if (pages.length === 0) return null;
  const file = path.join(staging, BUNDLE_FILES.wacz);
  const written = await writeWacz(
    {
      caseRow,
      investigator: store.requireInvestigator(),
      signer: store.signer(),
      items: pages.map(waczPageItem),
      now,
      signal: options.signal,
      stampDigest: async (hex) => {
        const outcome = await stampDigest(store.db, hex, options.timestamping);
        return outcome.status === 'granted' ? outcome.stamp : null;
      },
    },
    file,
  );
  return { file, written };
}

/** custody.jsonl as written for the bundle: its file, span, the case's own entries and the keys that signed. */
type WrittenCustody = ReturnType<typeof writeCustody>;

/** report.html and report.pdf, written in the staging folder. */
interface WrittenReports {
  readonly html: string;
  readonly pdf: string;
}

/** What the bundle is made of, gathered before any of it is written into the ZIP. */
interface BundleContents {
  readonly bundleName: string;
  readonly manifestBase: UnsignedManifest;
  /** The exporter, who signs the manifest. */
  readonly investigator: Investigator;
  /** Everyone who may have signed custody entries, for their keys and names. */
  readonly investigators: readonly Investigator[];
  readonly items: readonly ExportItem[];
  readonly custody: WrittenCustody;
  readonly timestamps: CollectedTimestamps;
  readonly headStamp: HeadStamp;
  readonly watchFile: WatchFile | null;
  /** The page captures as a WACZ, written in the staging folder (null: the bundle has no page capture). */
  readonly wacz: BundledWacz | null;
}

/** The WACZ a bundle carries: its file in the staging folder and what was written. */
interface BundledWacz {
  readonly file: string;
  readonly written: WrittenWacz;
}

/** The ZIP being written: its writer, the hashes of the ZIP and of the file, and the file's stream. */
interface BundleStream {
  readonly writer: BundleZipWriter;
  readonly zipTap: HashingTap;
  readonly fileTap: HashingTap;
  readonly file: fs.WriteStream;
  /** Settles when the file is whole on disk. */
  readonly written: Promise<void>;
}

/** The manifest before its list of files is known. */
type UnsignedManifest = Omit<BundleManifest, 'items' | 'files'>;

/** Which items the custody segment is about: the exported ones, within the case. */
function custodySelection(db: ReadableDB, caseId: string, items: readonly ExportItem[]): CustodySelection {
  return {
    caseId,
    exportedItemIds: new Set(items.map((i) => i.stored.id)),
    caseItemIds: new Set(Array.from(q.iterateItems(db, caseId), (i) => i.id)),
  };
}

/**
 * The manifest's fields but its items and files: the case, the exporter, the custody span and the
 * other signers' keys: this store's investigators who signed custody entries, and the key of
 * every other workstation whose capture record an item keeps (received or pulled), so that a
 * bundle names every investigator who captured its evidence with the key that signed it there.
 */
export function unsignedManifest(
  db: ReadableDB,
  caseRow: Case,
  investigator: Investigator,
  investigators: readonly Investigator[],
  custody: Pick<WrittenCustody, 'actors' | 'span'>,
  items: readonly ExportItem[],
  now: Date,
): UnsignedManifest {
  const keys: BundleManifest['keys'] = investigators
    .filter((i) => custody.actors.has(i.keyFingerprint) && i.keyFingerprint !== investigator.keyFingerprint)
    .map((i) => ({
      keyFingerprint: i.keyFingerprint,
      publicKeyPem: i.publicKeyPem,
      investigatorId: i.id,
      name: i.name,
      agency: i.agency,
    }));
  const named = new Set([investigator.keyFingerprint, ...keys.map((k) => k.keyFingerprint)]);
  for (const { record } of items) {
    const captor = record.investigator;
    if (named.has(captor.keyFingerprint)) continue;
    const pem = findReceivedKey(db, captor.keyFingerprint);
    if (pem === undefined) continue;
    named.add(captor.keyFingerprint);
    keys.push({
      keyFingerprint: captor.keyFingerprint,
      publicKeyPem: pem,
      investigatorId: captor.id,
      name: captor.name,
    });
  }
  return {
    formatVersion: BUNDLE_FORMAT_VERSION,
    case: { id: caseRow.id, number: caseRow.number, title: caseRow.title },
    exporter: exporterOf(investigator),
    exportedAt: now.toISOString(),
    timeZone: localTimeZone(),
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    custody: { path: BUNDLE_FILES.custody, ...custody.span },
    keys,
  };
}

/** The SHA256SUMS lines of the evidence files, known before the ZIP is written (for the evidence hash). */
async function evidenceChecksums(contents: BundleContents): Promise<ChecksumLine[]> {
  const lines: ChecksumLine[] = contents.items.flatMap((item) =>
    item.manifest.artifacts.map((a) => ({ path: a.path, sha256: a.sha256 })),
  );
  const onDisk = [
    { path: BUNDLE_FILES.custody, file: contents.custody.file },
    { path: BUNDLE_FILES.custodyBodies, file: contents.custody.bodiesFile },
    ...contents.timestamps.files,
    ...(contents.wacz ? [{ path: BUNDLE_FILES.wacz, file: contents.wacz.file }] : []),
  ];
  for (const { path: p, file } of onDisk) lines.push({ path: p, sha256: (await sha256OfFile(file)).sha256 });
  for (const [p, bytes] of generatedFiles(contents))
    lines.push({ path: p, sha256: createHash('sha256').update(bytes).digest('hex') });
  return lines.filter((line) => isEvidenceFile(line.path));
}

/** The bundle's files made in memory: the timestamp index, the watch history and the items' canonical records. */
function generatedFiles(contents: BundleContents): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  files.set(
    BUNDLE_FILES.timestampIndex,
    Buffer.from(`${JSON.stringify(contents.timestamps.index, null, 2)}\n`),
  );
  if (contents.watchFile)
    files.set(BUNDLE_FILES.watches, Buffer.from(`${JSON.stringify(contents.watchFile, null, 2)}\n`));
  files.set(BUNDLE_FILES.itemRecords, Buffer.from(itemRecordsText(contents.items.map((i) => i.manifest))));
  return files;
}

/** Writes report.html, then prints it to report.pdf; a cancel is honoured after each. */
async function writeReports(
  store: EvidenceStore,
  staging: string,
  contents: BundleContents,
  evidence: string,
  printer: Pick<PdfPrinter, 'print'>,
  signal: AbortSignal | undefined,
): Promise<WrittenReports> {
  const { manifestBase, custody, investigators, items, timestamps } = contents;
  const html = path.join(staging, 'report.html');
  const pdf = path.join(staging, 'report.pdf');
  const trust = await judgeTimestamps(contents);
  await writeReport(
    html,
    {
      manifest: { ...manifestBase, files: [] },
      bundleName: contents.bundleName,
      caseEntries: custody.caseEntries,
      actorNames: new Map(investigators.map((i) => [i.keyFingerprint, i.name])),
      headStamp: contents.headStamp,
      watches: contents.watchFile?.watches ?? [],
      evidenceHash: evidence,
      wacz: contents.wacz
        ? {
            pages: contents.wacz.written.pages,
            publicKey: contents.wacz.written.publicKey,
            timestamped: contents.wacz.written.stamp !== null,
          }
        : null,
      contents: {
        items: items.length,
        artifacts: items.reduce((sum, i) => sum + i.manifest.artifacts.length, 0),
        bytes: totalArtifactBytes(items),
        custodyLines: custody.span.lines,
        timestamps: timestamps.index.flatMap((entry) => {
          const finding = trust.get(entry.file);
          return finding ? [{ covers: entry.covers, trust: finding }] : [];
        }),
      },
    },
    reportItems(store, contents, trust, signal),
  );
  throwIfCancelled(signal);
  await printer.print(html, pdf, signal);
  throwIfCancelled(signal);
  return { html, pdf };
}

/** The bytes of every artifact, for the progress line's total. */
function totalArtifactBytes(items: readonly ExportItem[]): number {
  return items.reduce((sum, i) => sum + i.manifest.artifacts.reduce((s, a) => s + a.size, 0), 0);
}

/** Starts writing the ZIP (sealed with age when asked) into `partial`, hashing the ZIP and the file as they stream. */
async function openBundleStream(
  partial: string,
  now: Date,
  encrypter: Encrypter | null,
  totalBytes: number,
  options: Pick<ExportOptions, 'onProgress' | 'signal'>,
): Promise<BundleStream> {
  // Unsealed, the ZIP's bytes go straight to the file, which returns the read buffers once written;
  // piped, not through Readable.from, whose reads join chunks (a joined chunk's buffer is never returned).
  const readPool = encrypter ? undefined : new ReadBufferPool();
  const writer = new BundleZipWriter(now, options.signal, readPool);
  const zipTap = new HashingTap((bytes) => options.onProgress?.(bytes, totalBytes, 'writing'));
  const plain = encrypter ? Readable.from(writer.output).pipe(zipTap) : writer.output.pipe(zipTap);
  const sealed = encrypter ? await sealStream(encrypter, plain) : null;
  const file = fs.createWriteStream(partial, { flags: 'wx', mode: 0o600 });
  if (readPool) returnBuffersOnWrite(file, readPool);
  // Unsealed, the file is the ZIP byte for byte: its hash is the ZIP's, not worth a second pass.
  const fileTap = sealed ? new HashingTap() : zipTap;
  const written = sealed ? pipeline(sealed, fileTap, file) : pipeline(plain, file);
  written.catch((error: Error) => writer.fail(error));
  return { writer, zipTap, fileTap, file, written };
}

/**
 * Writes and prints the reports while the evidence files already added stream into the ZIP: the
 * print runs in Chromium's own processes, so reading, hashing and writing the artifacts costs the
 * export no time of its own (the bench's bulk case: 3–10 s of ZIP beside a print of 25–35 s). When
 * the ZIP fails first (a blob changed on disk, a full disk, a cancel), that failure is the export's:
 * the print is stopped, and waited for, so that nothing still writes into the staging folder once
 * the export has ended.
 */
async function writeReportsBeside(
  writer: BundleZipWriter,
  signal: AbortSignal | undefined,
  write: (printSignal: AbortSignal) => Promise<WrittenReports>,
  onEvidenceWrittenFirst: () => void,
): Promise<WrittenReports> {
  const stopPrint = new AbortController();
  const reports = write(signal ? AbortSignal.any([signal, stopPrint.signal]) : stopPrint.signal);
  let reportsDone = false;
  void reports.then(
    () => (reportsDone = true),
    () => undefined,
  );
  // The evidence may be written long before the print ends: the caller is told (the progress line says so).
  void writer.settled().then(
    () => reportsDone || signal?.aborted || onEvidenceWrittenFirst(),
    () => undefined,
  );
  try {
    return await Promise.race([reports, writer.failure]);
  } catch (error) {
    stopPrint.abort();
    await reports.catch(() => undefined);
    throw error;
  }
}

/** Adds the artifacts, custody.jsonl, the timestamps and their index, the watch history and VERIFY.txt. */
function addEvidenceFiles(writer: BundleZipWriter, contents: BundleContents): void {
  const { items, custody, timestamps } = contents;
  for (const item of items) {
    item.manifest.artifacts.forEach((artifact, index) => {
      writer.addFile(artifact.path, item.blobFiles[index]!, {
        compress: !isAlreadyCompressed(artifact.mediaType, artifact.path),
        expected: { sha256: artifact.sha256, size: artifact.size },
      });
    });
  }
  writer.addFile(BUNDLE_FILES.custody, custody.file, { compress: true });
  writer.addFile(BUNDLE_FILES.custodyBodies, custody.bodiesFile, { compress: true });
  for (const token of timestamps.files) writer.addFile(token.path, token.file, { compress: false });
  if (contents.wacz) writer.addFile(BUNDLE_FILES.wacz, contents.wacz.file, { compress: false });
  for (const [p, bytes] of generatedFiles(contents)) writer.addBuffer(p, bytes);
  writer.addBuffer(
    BUNDLE_FILES.verifyText,
    Buffer.from(verifyText(contents.bundleName, contents.investigator.keyFingerprint, timestamps.index)),
  );
}

/**
 * Adds report.html (deflated: text, 13 : 1 for the bench's bulk case) and report.pdf, stored as it
 * is, as an artifact's PDF is (`isAlreadyCompressed`): Chromium compresses its streams already, so
 * deflate took only 30 % off the bulk case's 15.3 MB, for 0.3-0.4 s of the export's CPU, and every
 * `custos verify` and `unzip` of it paid 0.11 s of CPU to inflate it again, a tenth of verify's
 * time on two cores (docs/ARCHITECTURE.md, "Verify, eleventh round").
 */
function addReportFiles(writer: BundleZipWriter, report: WrittenReports): void {
  writer.addFile(BUNDLE_FILES.reportHtml, report.html, { compress: true });
  writer.addFile(BUNDLE_FILES.reportPdf, report.pdf, { compress: false });
}

/**
 * Once every file is hashed: adds the manifest (listing every artifact and file with its hash), its
 * signature and the signer's key. Returns the manifest's own hash, for the export's custody entry.
 */
async function addSignedManifest(
  writer: BundleZipWriter,
  contents: BundleContents,
  signer: ReturnType<EvidenceStore['signer']>,
): Promise<Hashed> {
  const { manifestBase, items, investigator } = contents;
  const hashes = await writer.settled();
  const artifactPaths = new Set(items.flatMap((i) => i.manifest.artifacts.map((a) => a.path)));
  const manifest: BundleManifest = {
    ...manifestBase,
    items: items.map((i) => i.manifest),
    files: [...hashes]
      .filter(([p]) => !artifactPaths.has(p))
      .map(([p, h]) => ({ path: p, size: h.size, sha256: h.sha256 }))
      .sort((a, b) => (a.path < b.path ? -1 : 1)),
  };
  const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
  const manifestHashed = writer.addBuffer(BUNDLE_FILES.manifest, manifestBytes);
  writer.addBuffer(BUNDLE_FILES.signature, signer.sign(manifestBytes), false);
  writer.addBuffer(BUNDLE_FILES.signerKey, Buffer.from(investigator.publicKeyPem));
  return manifestHashed;
}

/**
 * Once every other file is hashed: adds SHA256SUMS, listing them in sha256sum's format (the
 * manifest, its signature and the key included), and its signature: the file list is signed.
 */
async function addSignedChecksums(
  writer: BundleZipWriter,
  signer: ReturnType<EvidenceStore['signer']>,
): Promise<void> {
  const all = await writer.settled();
  const outside = filesOutsideChecksums(BUNDLE_FORMAT_VERSION);
  const sums = [...all].filter(([p]) => !outside.has(p)).map(([p, h]) => ({ path: p, sha256: h.sha256 }));
  const bytes = Buffer.from(formatChecksums(sums));
  writer.addBuffer(BUNDLE_FILES.checksums, bytes);
  writer.addBuffer(BUNDLE_FILES.checksumsSignature, signer.sign(bytes), false);
}

/** The details of the `bundle.export` custody entry: the file, its hashes, how it is sealed, what it holds. */
function exportEntryDetails(
  contents: BundleContents,
  hashes: {
    readonly bundle: Hashed;
    readonly zip: Hashed;
    readonly manifest: Hashed;
    readonly evidence: string;
  },
  encrypter: Encrypter | null,
  seal: AgeKeys | undefined,
): Record<string, unknown> {
  const { span } = contents.custody;
  return {
    file: contents.bundleName,
    sha256: hashes.bundle.sha256,
    size: hashes.bundle.size,
    zipSha256: hashes.zip.sha256,
    sealed: sealKind(encrypter, seal),
    recipients: seal?.recipients ?? [],
    manifestSha256: hashes.manifest.sha256,
    evidenceSha256: hashes.evidence,
    items: contents.items.map((i) => i.stored.id),
    custodyHead: { seq: span.lastSeq, hash: span.headHash },
    wacz: contents.wacz
      ? {
          path: BUNDLE_FILES.wacz,
          sha256: contents.wacz.written.sha256,
          datapackageSha256: contents.wacz.written.datapackageSha256,
          publicKey: contents.wacz.written.publicKey,
        }
      : null,
  };
}

/** How the bundle is sealed, as the custody entry records it. */
function sealKind(
  encrypter: Encrypter | null,
  seal: AgeKeys | undefined,
): 'age-passphrase' | 'age-recipients' | null {
  if (!encrypter) return null;
  return seal?.passphrase !== undefined ? 'age-passphrase' : 'age-recipients';
}

/** The manifest's exporter: the investigator who signs it. */
export function exporterOf(investigator: Investigator): BundleManifest['exporter'] {
  return {
    investigatorId: investigator.id,
    name: investigator.name,
    agency: investigator.agency,
    badge: investigator.badge,
    keyFingerprint: investigator.keyFingerprint,
  };
}

/** Refuses a target that exists or whose folder does not, before anything is written. */
export function checkTarget(out: string): void {
  if (fs.existsSync(out))
    throw badInput(`${out} already exists; choose another file name (a bundle is never overwritten)`);
  const dir = path.dirname(out);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch {
    throw badInput(`the folder ${dir} does not exist; create it or choose another --out`);
  }
  if (!stat.isDirectory()) throw badInput(`${dir} is not a folder; choose another --out`);
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch {
    throw badInput(`cannot write in ${dir} (permission denied); choose another --out`);
  }
}

/** The items to export, each checked to belong to the case, with its manifest entry. */
export function selectItems(
  store: EvidenceStore,
  caseId: string,
  refs: readonly string[] | undefined,
): ExportItem[] {
  const db = store.db;
  const stored: q.StoredItem[] = [];
  if (refs && refs.length > 0) {
    const seen = new Set<string>();
    for (const ref of refs) {
      const item = q.findItem(db, ref);
      if (!item) throw errorSaying('bad-input', (next) => `item ${ref} not found; ${next.items} lists items`);
      if (item.caseId !== caseId)
        throw badInput(`item ${ref} belongs to another case; export it with its own case`);
      if (!seen.has(item.id)) stored.push(item);
      seen.add(item.id);
    }
  } else stored.push(...q.iterateItems(db, caseId));
  return stored.map((item) => {
    const record = JSON.parse(item.recordJson) as CaptureRecord;
    const artifacts = q.listArtifacts(db, item.id);
    const names = new Set<string>();
    const manifestArtifacts = artifacts.map((a, index) => {
      let name = safeName(a.name, index);
      if (names.has(name)) name = `${index + 1}-${name}`;
      names.add(name);
      return {
        path: `${itemFolder(item.id)}${name}`,
        role: a.role,
        mediaType: a.mediaType,
        size: a.size,
        sha256: a.sha256,
      };
    });
    return {
      stored: item,
      record,
      blobFiles: artifacts.map((a) => store.blobs.pathOf(a.sha256)),
      manifest: {
        id: item.id,
        kind: item.kind,
        sourceUrl: item.url ?? item.source,
        capturedAt: item.capturedAt,
        digest: item.digest,
        title: item.title,
        record: record as unknown as Record<string, unknown>,
        artifacts: manifestArtifacts,
      },
    };
  });
}

/** An artifact name safe as one path segment on every system (the store's names already are; this is a guard). */
function safeName(name: string, index: number): string {
  const cleaned = name.replace(UNSAFE_NAME_CHARACTERS, '_').replace(/^\.+/, '_');
  return cleaned === '' ? `artifact-${index + 1}` : cleaned;
}

/**
 * What a path segment cannot hold: C0 controls and DEL (`hasControlCharacters`), and the separators
 * and wildcards of some system. One pass of a regular expression: splitting each name into
 * characters and testing them one by one took 7–26 ms for the bench's 2,016 names in a fresh
 * process, this 2 ms.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNSAFE_NAME_CHARACTERS = /[\u0000-\u001f\u007f/\\:*?"<>|]/g;

/**
 * Writes custody.jsonl and custody-bodies.jsonl in `staging`, and returns their files, the span,
 * the case's own entries and the keys that signed them.
 */
function writeCustody(store: EvidenceStore, selection: CustodySelection, staging: string) {
  const file = path.join(staging, BUNDLE_FILES.custody);
  const bodiesFile = path.join(staging, BUNDLE_FILES.custodyBodies);
  const fd = fs.openSync(file, 'wx', 0o600);
  const bodiesFd = fs.openSync(bodiesFile, 'wx', 0o600);
  const actors = new Set<string>();
  const caseEntries: LedgerEntry[] = [];
  let first: number | undefined;
  let last: { seq: number; hash: string } | undefined;
  let lines = 0;
  try {
    for (const line of custodyLines(store.db, selection)) {
      fs.writeSync(fd, custodyLineText(line));
      fs.writeSync(bodiesFd, custodyBodyText(line));
      first ??= line.seq;
      last = { seq: line.seq, hash: line.hash };
      lines++;
      if ('omitted' in line) continue;
      actors.add(line.actor.keyFingerprint);
      if (!selection.caseItemIds.has(line.subject)) caseEntries.push(line);
    }
  } finally {
    fs.closeSync(fd);
    fs.closeSync(bodiesFd);
  }
  if (first === undefined || last === undefined)
    throw operationFailure('the custody ledger has no entry for this case');
  return {
    file,
    bodiesFile,
    actors,
    caseEntries,
    span: { firstSeq: first, lastSeq: last.seq, headHash: last.hash, lines },
  };
}

/**
 * Stamps the ledger head before custody.jsonl is written, so that the bundle carries the token.
 * Never fails the export: a head no authority stamps stays queued for `custos timestamp`.
 */
async function stampHead(
  store: EvidenceStore,
  timestamping: ExportOptions['timestamping'],
): Promise<HeadStamp> {
  const authorities = timestamping?.authorities ?? configuredAuthorities(store.db);
  if (authorities.length === 0) {
    return {
      status: 'not-configured',
      genTime: null,
      tsa: null,
      reason: 'no time-stamping authority is configured',
    };
  }
  try {
    const result = await stampLedgerHead(store, { authorities, timeoutMs: timestamping?.timeoutMs });
    if (result?.status === 'granted')
      return { status: 'granted', genTime: result.genTime, tsa: result.tsa, reason: null };
    const reason = result?.failures.map((f) => f.message).join('; ') || 'the ledger is empty';
    return { status: 'pending', genTime: null, tsa: null, reason };
  } catch (error) {
    return { status: 'pending', genTime: null, tsa: null, reason: (error as Error).message };
  }
}

/**
 * How far each token's authority is trusted, by its file in the bundle: judged as a recipient with
 * no roots of their own would (public, or only the investigator's added root, or untrusted).
 */
async function judgeTimestamps(contents: BundleContents): Promise<Map<string, TrustFinding>> {
  const blobs = new Map(contents.timestamps.files.map((f) => [f.path, f.file]));
  const roots = investigatorRoots(contents.custody.caseEntries);
  const findings = new Map<string, TrustFinding>();
  for (const entry of contents.timestamps.index) {
    const der = blobs.get(entry.file);
    if (!der) continue;
    const chain = entry.chain ? blobs.get(entry.chain) : undefined;
    findings.set(
      entry.file,
      await classifyTrust(fs.readFileSync(der), entry.sha256, chain ? fs.readFileSync(chain, 'utf8') : null, {
        recipient: [],
        investigator: roots,
      }),
    );
  }
  return findings;
}

/** How many items the report reads at a time (their custody entries and entities, one query each). */
const REPORT_READ_ITEMS = 256;

/**
 * The report's items, one at a time (each with its files, trusted time and its trust, entities and
 * custody history), read a chunk of items at a time: two queries per chunk, where reading them item
 * by item made three to four queries, each prepared anew, per item.
 */
async function* reportItems(
  store: EvidenceStore,
  contents: BundleContents,
  trust: ReadonlyMap<string, TrustFinding>,
  signal: AbortSignal | undefined,
): AsyncGenerator<ReportItem> {
  const { index, byItem } = contents.timestamps;
  // Reversed so that the first token of the index for an item and time is the one kept, as a search finds it.
  const tokens = new Map(index.map((e) => [`${e.covers}\n${e.time}`, e] as const).reverse());
  const caseId = contents.manifestBase.case.id;
  for (let from = 0; from < contents.items.length; from += REPORT_READ_ITEMS) {
    const chunk = contents.items.slice(from, from + REPORT_READ_ITEMS);
    const ids = chunk.map((i) => i.stored.id);
    const custody = caseEntriesBySubject(store.db, caseId, ids);
    const entities = entityCountsOfItems(store.db, ids);
    for (const item of chunk) {
      throwIfCancelled(signal);
      const id = item.stored.id;
      const trustedTime = byItem.get(id) ?? null;
      const token =
        typeof trustedTime?.genTime === 'string' ? tokens.get(`${id}\n${trustedTime.genTime}`) : undefined;
      yield {
        item: item.manifest,
        files: item.blobFiles,
        custody: custody.get(id) ?? [],
        trustedTime,
        trust: token ? (trust.get(token.file) ?? null) : null,
        entities: entities.get(id) ?? [],
      };
    }
  }
}

/** The SHA-256 of a file on disk, streamed. */
export async function sha256OfFile(file: string): Promise<Hashed> {
  const tap = new HashingTap();
  await pipeline(fs.createReadStream(file, { highWaterMark: 1024 * 1024 }), tap, async (source) => {
    for await (const _ of source);
  });
  return tap.result;
}
