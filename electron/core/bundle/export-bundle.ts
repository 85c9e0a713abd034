/**
 * `custos export`: writes a sealed bundle (DESIGN.md, format 1) of a case, or of some of its items.
 * The ZIP is written to a temporary file beside the target and linked into place only when whole,
 * so an interrupted export leaves no bundle; then one custody entry records the bundle's SHA-256.
 * A cancel (`signal`) is honoured between steps, between artifacts and inside each artifact's
 * stream, while the report prints, up to the moment the entry is committed: a cancelled export
 * leaves no bundle, no temporary file and no export entry. (A stamp of the ledger head granted
 * before the cancel stays in the ledger: it is true, and the next export carries it.)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { CaptureRecord, Investigator, LedgerEntry } from '../../../shared/domain.js';
import { TOOL_NAME, TOOL_VERSION } from '../../../shared/version.js';
import { throwIfCancelled } from '../cancel.js';
import { badInput, operationFailure } from '../errors.js';
import { fsyncDir } from '../store/blob-store.js';
import type { EvidenceStore } from '../store/evidence-store.js';
import { iterateLedger, localTimeZone } from '../store/ledger.js';
import * as q from '../store/queries.js';
import { stampLedgerHead } from '../timestamp/stamp-queue.js';
import { configuredAuthorities } from '../timestamp/timestamp-settings.js';
import { watchFileFor } from '../watch/watch-export.js';
import { type AgeKeys, makeEncrypter, sealStream } from './age-seal.js';
import { formatChecksums } from './checksums.js';
import { type CustodySelection, custodyLines, custodyLineText } from './custody.js';
import {
  BUNDLE_FILES,
  BUNDLE_FORMAT_VERSION,
  type BundleManifest,
  FILES_OUTSIDE_CHECKSUMS,
  hasControlCharacters,
  itemFolder,
  type ManifestItem,
} from './format.js';
import { ChromiumPdfPrinter, type PdfPrinter } from './pdf-printer.js';
import { type ReportItem, thumbnailDataUri, writeReport } from './report.js';
import { collectTimestamps, type HeadStamp, type ItemTrustedTime } from './timestamps.js';
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
  /** Bytes written so far, for a progress line. */
  readonly onProgress?: (bytes: number, total: number) => void;
  /** Stops the export (it then throws `Cancelled` and leaves nothing behind). */
  readonly signal?: AbortSignal;
  /** Authorities to stamp the ledger head with (default: the store's list) and a bound on each. */
  readonly timestamping?: { readonly authorities?: readonly string[]; readonly timeoutMs?: number };
}

/** What an export wrote. */
export interface ExportResult {
  readonly file: string;
  /** SHA-256 of the file written (the sealed file when sealed): for the paper custody form. */
  readonly sha256: string;
  readonly size: number;
  /** SHA-256 of the ZIP itself (the same as `sha256` unless sealed). */
  readonly zipSha256: string;
  readonly sealed: boolean;
  readonly items: readonly string[];
  readonly signer: string;
  readonly ledgerEntry: LedgerEntry;
  readonly headStamp: HeadStamp;
  /** How many timestamp tokens the bundle carries. */
  readonly timestamps: number;
}

interface ExportItem {
  readonly stored: q.StoredItem;
  readonly record: CaptureRecord;
  readonly manifest: ManifestItem;
  /** Blob path of each manifest artifact, in order. */
  readonly blobFiles: readonly string[];
}

const PARTIAL_SUFFIX = '.partial';

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
  const selection: CustodySelection = {
    caseId: caseRow.id,
    exportedItemIds: new Set(items.map((i) => i.stored.id)),
    caseItemIds: new Set(Array.from(q.iterateItems(db, caseRow.id), (i) => i.id)),
  };
  removeStalePartials(out);
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-export-'));
  const partial = path.join(path.dirname(out), `.${path.basename(out)}.${process.pid}${PARTIAL_SUFFIX}`);
  let linked = false;
  let file: fs.WriteStream | undefined;
  try {
    const headStamp = await stampHead(store, options.timestamping);
    throwIfCancelled(signal);
    const custody = writeCustody(store, selection, path.join(staging, 'custody.jsonl'));
    const timestamps = collectTimestamps(
      store,
      items.map((i) => i.stored.id),
      { firstSeq: custody.span.firstSeq, lastSeq: custody.span.lastSeq },
    );
    const investigators = q.listInvestigators(db);
    const keys = investigators
      .filter((i) => custody.actors.has(i.keyFingerprint) && i.keyFingerprint !== investigator.keyFingerprint)
      .map((i) => ({
        keyFingerprint: i.keyFingerprint,
        publicKeyPem: i.publicKeyPem,
        investigatorId: i.id,
        name: i.name,
        agency: i.agency,
      }));
    const manifestBase: Omit<BundleManifest, 'items' | 'files'> = {
      formatVersion: BUNDLE_FORMAT_VERSION,
      case: { id: caseRow.id, number: caseRow.number, title: caseRow.title },
      exporter: exporterOf(investigator),
      exportedAt: now.toISOString(),
      timeZone: localTimeZone(),
      tool: { name: TOOL_NAME, version: TOOL_VERSION },
      custody: { path: BUNDLE_FILES.custody, ...custody.span },
      keys,
    };
    const watchFile = watchFileFor(db, caseRow.id, selection.exportedItemIds);
    const reportHtml = path.join(staging, 'report.html');
    const reportPdf = path.join(staging, 'report.pdf');
    await writeReport(
      reportHtml,
      {
        manifest: { ...manifestBase, files: [] },
        bundleName: path.basename(out),
        caseEntries: custody.caseEntries,
        actorNames: new Map(investigators.map((i) => [i.keyFingerprint, i.name])),
        headStamp,
        watches: watchFile?.watches ?? [],
      },
      reportItems(store, items, timestamps.byItem, signal),
    );
    throwIfCancelled(signal);
    await (options.printer ?? new ChromiumPdfPrinter()).print(reportHtml, reportPdf, signal);
    throwIfCancelled(signal);

    const totalBytes = items.reduce(
      (sum, i) => sum + i.manifest.artifacts.reduce((s, a) => s + a.size, 0),
      0,
    );
    const writer = new BundleZipWriter(now, signal);
    const zipTap = new HashingTap((bytes) => options.onProgress?.(bytes, totalBytes));
    const fileTap = new HashingTap();
    const plain = Readable.from(writer.output).pipe(zipTap);
    const sealed = encrypter ? await sealStream(encrypter, plain) : plain;
    file = fs.createWriteStream(partial, { flags: 'wx', mode: 0o600 });
    const written = pipeline(sealed, fileTap, file);
    written.catch(() => undefined);

    for (const item of items) {
      item.manifest.artifacts.forEach((artifact, index) => {
        writer.addFile(artifact.path, item.blobFiles[index]!, {
          compress: !isAlreadyCompressed(artifact.mediaType, artifact.path),
          expected: { sha256: artifact.sha256, size: artifact.size },
        });
      });
    }
    writer.addFile(BUNDLE_FILES.custody, custody.file, { compress: true });
    for (const token of timestamps.files) writer.addFile(token.path, token.file, { compress: false });
    writer.addBuffer(
      BUNDLE_FILES.timestampIndex,
      Buffer.from(`${JSON.stringify(timestamps.index, null, 2)}\n`),
    );
    if (watchFile) {
      writer.addBuffer(BUNDLE_FILES.watches, Buffer.from(`${JSON.stringify(watchFile, null, 2)}\n`));
    }
    writer.addFile(BUNDLE_FILES.reportHtml, reportHtml, { compress: true });
    writer.addFile(BUNDLE_FILES.reportPdf, reportPdf, { compress: true });
    writer.addBuffer(
      BUNDLE_FILES.verifyText,
      Buffer.from(verifyText(path.basename(out), investigator.keyFingerprint, timestamps.index)),
    );
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
    const all = await writer.settled();
    const sums = [...all]
      .filter(([p]) => !FILES_OUTSIDE_CHECKSUMS.has(p))
      .map(([p, h]) => ({ path: p, sha256: h.sha256 }));
    writer.addBuffer(BUNDLE_FILES.checksums, Buffer.from(formatChecksums(sums)));
    writer.end();
    await Promise.race([written, writer.failure]);
    await fsyncFile(partial);
    // The last moment a cancel is honoured: from here the entry and the bundle commit together.
    throwIfCancelled(signal);

    const zip = zipTap.result;
    const bundle = fileTap.result;
    const ledgerEntry = store.transaction((wdb) => {
      const entry = store.appendInTransaction(wdb, {
        action: 'bundle.export',
        caseId: caseRow.id,
        subject: caseRow.id,
        details: {
          file: path.basename(out),
          sha256: bundle.sha256,
          size: bundle.size,
          zipSha256: zip.sha256,
          sealed: encrypter
            ? options.seal?.passphrase !== undefined
              ? 'age-passphrase'
              : 'age-recipients'
            : null,
          recipients: options.seal?.recipients ?? [],
          manifestSha256: manifestHashed.sha256,
          items: items.map((i) => i.stored.id),
          custodyHead: { seq: custody.span.lastSeq, hash: custody.span.headHash },
        },
      });
      // link() refuses to replace a file that appeared meanwhile; the entry rolls back with it.
      fs.linkSync(partial, out);
      linked = true;
      return entry;
    });
    fs.unlinkSync(partial);
    await fsyncDir(path.dirname(out));
    return {
      file: out,
      sha256: bundle.sha256,
      size: bundle.size,
      zipSha256: zip.sha256,
      sealed: encrypter !== null,
      items: items.map((i) => i.stored.id),
      signer: investigator.keyFingerprint,
      ledgerEntry,
      headStamp,
      timestamps: timestamps.index.length,
    };
  } catch (error) {
    if (!linked) {
      // The file is removed only once its stream has closed: an open still on its way would
      // otherwise create it again after the removal.
      if (file && !file.closed) {
        const closed = new Promise<void>((resolve) => file?.once('close', () => resolve()));
        file.destroy();
        await closed;
      }
      fs.rmSync(partial, { force: true });
    }
    throw error;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

function exporterOf(investigator: Investigator): BundleManifest['exporter'] {
  return {
    investigatorId: investigator.id,
    name: investigator.name,
    agency: investigator.agency,
    badge: investigator.badge,
    keyFingerprint: investigator.keyFingerprint,
  };
}

/** Refuses a target that exists or whose folder does not, before anything is written. */
function checkTarget(out: string): void {
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

/** Removes temporary files left beside the target by exports that were killed (their process is gone). */
function removeStalePartials(out: string): void {
  const prefix = `.${path.basename(out)}.`;
  for (const name of fs.readdirSync(path.dirname(out))) {
    if (!name.startsWith(prefix) || !name.endsWith(PARTIAL_SUFFIX)) continue;
    const pid = Number(name.slice(prefix.length, -PARTIAL_SUFFIX.length));
    if (Number.isInteger(pid) && pid > 0 && !processAlive(pid))
      fs.rmSync(path.join(path.dirname(out), name), { force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The items to export, each checked to belong to the case, with its manifest entry. */
function selectItems(
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
      if (!item) throw badInput(`item ${ref} not found; \`custos items --case CASE\` lists items`);
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
  const cleaned = [...name]
    .map((c) => (hasControlCharacters(c) || '/\\:*?"<>|'.includes(c) ? '_' : c))
    .join('')
    .replace(/^\.+/, '_');
  return cleaned === '' ? `artifact-${index + 1}` : cleaned;
}

/** Writes custody.jsonl to a file, and returns its span, the case's own entries and the keys that signed them. */
function writeCustody(store: EvidenceStore, selection: CustodySelection, file: string) {
  const fd = fs.openSync(file, 'wx', 0o600);
  const actors = new Set<string>();
  const caseEntries: LedgerEntry[] = [];
  let first: number | undefined;
  let last: { seq: number; hash: string } | undefined;
  let lines = 0;
  try {
    for (const line of custodyLines(store.db, selection)) {
      fs.writeSync(fd, custodyLineText(line));
      first ??= line.seq;
      last = { seq: line.seq, hash: line.hash };
      lines++;
      if ('omitted' in line) continue;
      actors.add(line.actor.keyFingerprint);
      if (!selection.caseItemIds.has(line.subject)) caseEntries.push(line);
    }
  } finally {
    fs.closeSync(fd);
  }
  if (first === undefined || last === undefined)
    throw operationFailure('the custody ledger has no entry for this case');
  return {
    file,
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

/** The report's items, one at a time (each with its thumbnail, trusted time and custody history). */
async function* reportItems(
  store: EvidenceStore,
  items: readonly ExportItem[],
  trustedTimes: ReadonlyMap<string, ItemTrustedTime>,
  signal: AbortSignal | undefined,
): AsyncGenerator<ReportItem> {
  for (const item of items) {
    throwIfCancelled(signal);
    const artifacts = item.manifest.artifacts;
    const preview =
      ['screenshot', 'viewport']
        .map((role) => artifacts.findIndex((a) => a.role === role))
        .find((i) => i >= 0) ?? artifacts.findIndex((a) => a.mediaType.startsWith('image/'));
    const thumbnail =
      preview !== undefined && preview >= 0 ? await thumbnailDataUri(item.blobFiles[preview]!) : null;
    const custody = [...iterateLedger(store.db, { subject: item.stored.id })].filter(
      (e) => e.caseId === item.stored.caseId,
    );
    yield { item: item.manifest, thumbnail, custody, trustedTime: trustedTimes.get(item.stored.id) ?? null };
  }
}

async function fsyncFile(file: string): Promise<void> {
  const handle = await fs.promises.open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
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
