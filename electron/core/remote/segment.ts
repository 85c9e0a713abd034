/**
 * A workstation's segment of a case, as a push writes it: a bundle manifest (format 2's shape)
 * listing the items this workstation captured or imported itself, signed with its key, and the
 * custody lines of the case from this store's ledger (custody.jsonl, as in a bundle). Items other
 * workstations captured are theirs to publish: they appear here only as omitted stubs.
 */
import type { Case } from '../../../shared/domain.js';
import { TOOL_NAME, TOOL_VERSION } from '../../../shared/version.js';
import { custodyLines } from '../bundle/custody.js';
import { type CustodyLine, custodyLineText } from '../bundle/custody-check.js';
import { type ExportItem, selectItems, unsignedManifest } from '../bundle/export-bundle.js';
import { BUNDLE_FILES, type BundleManifest } from '../bundle/format.js';
import { operationFailure } from '../errors.js';
import { sha256Hex } from '../store/canonical-json.js';
import type { EvidenceStore } from '../store/evidence-store.js';
import * as q from '../store/queries.js';

/** A signed segment, ready to upload. */
export interface Segment {
  readonly manifest: BundleManifest;
  readonly manifestBytes: Buffer;
  readonly signature: Buffer;
  readonly signerPem: string;
  readonly fingerprint: string;
  readonly custodyText: string;
  /** The last custody line it carries: names the segment. */
  readonly head: { readonly seq: number; readonly hash: string };
  readonly items: readonly ExportItem[];
}

/** Builds and signs this workstation's segment of a case. */
export function buildSegment(store: EvidenceStore, caseRow: Case, now: Date): Segment {
  const db = store.db;
  const investigator = store.requireInvestigator();
  const signer = store.signer();
  const investigators = q.listInvestigators(db);
  const own = new Set(investigators.map((i) => i.keyFingerprint));
  const items = selectItems(store, caseRow.id, undefined).filter((i) =>
    own.has(i.record.investigator.keyFingerprint),
  );
  const lines = segmentLines(store, caseRow.id, items);
  if (lines.length === 0) throw operationFailure(`case ${caseRow.number} has no custody entries to push`);
  const custodyText = lines.map(custodyLineText).join('');
  const actors = new Set(lines.flatMap((l) => ('omitted' in l ? [] : [l.actor.keyFingerprint])));
  const last = lines.at(-1)!;
  const span = { firstSeq: lines[0]!.seq, lastSeq: last.seq, headHash: last.hash, lines: lines.length };
  const base = unsignedManifest(db, caseRow, investigator, investigators, { actors, span }, items, now);
  const manifest: BundleManifest = {
    ...base,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    items: items.map((i) => i.manifest),
    files: [
      {
        path: BUNDLE_FILES.custody,
        size: Buffer.byteLength(custodyText),
        sha256: sha256Hex(custodyText),
      },
    ],
  };
  const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
  return {
    manifest,
    manifestBytes,
    signature: signer.sign(manifestBytes),
    signerPem: signer.publicKeyPem,
    fingerprint: signer.keyFingerprint,
    custodyText,
    head: { seq: last.seq, hash: last.hash },
    items,
  };
}

/**
 * The case's custody lines up to its last entry that is not a push: a push's own `remote.push`
 * entry, and other cases' business after it, do not make the next push a new segment, so pushing
 * an unchanged case again writes nothing.
 */
function segmentLines(store: EvidenceStore, caseId: string, items: readonly ExportItem[]): CustodyLine[] {
  const db = store.db;
  const selection = {
    caseId,
    exportedItemIds: new Set(items.map((i) => i.stored.id)),
    caseItemIds: new Set(Array.from(q.iterateItems(db, caseId), (i) => i.id)),
  };
  const lines = [...custodyLines(db, selection)];
  let end = lines.length;
  while (end > 0) {
    const line = lines[end - 1]!;
    if (!('omitted' in line) && line.action !== 'remote.push') break;
    end--;
  }
  return lines.slice(0, end);
}
