import path from 'node:path';
import type { LedgerEntry } from '../../../shared/domain.js';
import { checkTarget, type ExportItem, selectItems } from '../bundle/export-bundle.js';
import { ExportFile, removeStalePartials } from '../bundle/export-file.js';
import { badInput, errorSaying } from '../errors.js';
import type { EvidenceStore } from '../store/evidence-store.js';
import { describeSystemError } from '../system-errors.js';
import { type DigestStampOutcome, stampDigest } from './digest-stamp.js';
import { isPageCapture, type WrittenWacz, waczPageItem, writeWacz } from './wacz-writer.js';

/** What to export as a WACZ, and where. */
export interface WaczExportOptions {
  readonly caseRef: string;
  readonly out: string;
  /** Only these items of the case (default: every page capture of it). */
  readonly itemRefs?: readonly string[];
  readonly now?: Date;
  /** Authorities to stamp the digest with (default: the store's list) and a bound on each. */
  readonly timestamping?: { readonly authorities?: readonly string[]; readonly timeoutMs?: number };
}

/** What a WACZ export wrote. */
export interface WaczExportResult {
  readonly file: string;
  readonly sha256: string;
  readonly size: number;
  /** The item ids of the pages in the WACZ. */
  readonly items: readonly string[];
  /** Items of the case left out because they are not page captures (imports, screenshots of a region…). */
  readonly skipped: readonly string[];
  /** The workstation key's fingerprint, which vouches for the signing key (custos/signer.json). */
  readonly signer: string;
  /** The ECDSA P-384 key that signed the digest (SPKI DER, base64). */
  readonly publicKey: string;
  /** The SHA-256 of datapackage.json: what is signed and timestamped. */
  readonly datapackageSha256: string;
  readonly stamp: DigestStampOutcome;
  readonly ledgerEntry: LedgerEntry;
}

/** Exports a WACZ; checks everything it can before it writes anything. */
export async function exportWacz(
  store: EvidenceStore,
  options: WaczExportOptions,
): Promise<WaczExportResult> {
  const investigator = store.requireInvestigator();
  const signer = store.signer();
  const caseRow = store.getCase(options.caseRef);
  const out = path.resolve(options.out);
  if (!out.toLowerCase().endsWith('.wacz'))
    throw badInput(
      `${out}: a WACZ's file name must end in .wacz (the WACZ specification); choose --out NAME.wacz`,
    );
  checkTarget(out);
  const selected = selectItems(store, caseRow.id, options.itemRefs);
  const pages = selected.filter(isPageCapture);
  const skipped = selected.filter((item) => !isPageCapture(item)).map((item) => item.stored.id);
  if (options.itemRefs && options.itemRefs.length > 0 && skipped.length > 0)
    throw errorSaying(
      'bad-input',
      (next) =>
        `item ${skipped[0]} is not a page capture with a WARC; a WACZ holds web captures only (export it in a sealed bundle: ${next.bundleExport(caseRow.number)})`,
    );
  if (pages.length === 0)
    throw badInput(
      `case ${caseRow.number} has no page captures with a WARC; a WACZ holds web captures only (export the case as a sealed bundle instead)`,
    );

  const now = options.now ?? new Date();
  store.recordSweep(removeStalePartials(path.dirname(out)));
  const target = new ExportFile(out);
  try {
    let stamp: DigestStampOutcome = { status: 'not-configured', reason: 'not requested' };
    const written = await writeWacz(
      {
        caseRow,
        investigator,
        signer,
        items: pages.map(waczPageItem),
        now,
        stampDigest: async (hex) => {
          stamp = await stampDigest(store.db, hex, options.timestamping);
          return stamp.status === 'granted' ? stamp.stamp : null;
        },
      },
      target.partial,
    );
    await target.sync();
    const ledgerEntry = await target.commit(store, {
      action: 'wacz.export',
      caseId: caseRow.id,
      subject: caseRow.id,
      details: waczEntryDetails(path.basename(out), written, pages),
    });
    return {
      file: out,
      sha256: written.sha256,
      size: written.size,
      items: pages.map((item) => item.stored.id),
      skipped,
      signer: investigator.keyFingerprint,
      publicKey: written.publicKey,
      datapackageSha256: written.datapackageSha256,
      stamp,
      ledgerEntry,
    };
  } catch (error) {
    await target.discard();
    throw describeSystemError(error, path.dirname(out)) ?? error;
  }
}

/** The details of the `wacz.export` custody entry: the file, its hashes, the signing key, the pages. */
export function waczEntryDetails(
  file: string,
  written: WrittenWacz,
  pages: readonly ExportItem[],
): Record<string, unknown> {
  return {
    file,
    sha256: written.sha256,
    size: written.size,
    datapackageSha256: written.datapackageSha256,
    publicKey: written.publicKey,
    timestamp: written.stamp ? { tsa: written.stamp.tsa, genTime: written.stamp.genTime } : null,
    items: pages.map((item) => item.stored.id),
  };
}
