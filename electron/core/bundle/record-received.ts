/**
 * What a store keeps of evidence received from another workstation, whether it came in a bundle
 * (`custos receive`) or from an S3 remote (`custos pull`): the case (made from the sender's
 * manifest when new here), the sender's manifest, signature, custody lines and keys as received,
 * and each new item with an `item.receive` entry that signs its digest here. One model for both,
 * so `custos audit` checks both the same way (audit-received.ts).
 */

import fs from 'node:fs';
import type { CaptureRecord, Case, LedgerEntry } from '../../../shared/domain.js';
import { integrityFailure, operationFailure } from '../errors.js';
import { canonicalJson } from '../store/canonical-json.js';
import type { WritableDB } from '../store/database.js';
import type { EvidenceStore } from '../store/evidence-store.js';
import * as q from '../store/queries.js';
import type { BundleManifest, ManifestItem } from './format.js';
import * as rq from './received-queries.js';

/** What happened to each item of a received bundle or segment. */
export interface ReceivedItem {
  readonly id: string;
  readonly digest: string;
  /** `imported`, or `already-held` when this store had the item (same digest) before. */
  readonly status: 'imported' | 'already-held';
}

/** One item of the sender's manifest and whether it is new here. */
export interface PlannedItem {
  readonly item: ManifestItem;
  readonly status: ReceivedItem['status'];
}

/** A verified manifest with everything that came with it, as the tables of migration 003 keep it. */
export interface ReceivedSource {
  /** The identity of what was received: the ZIP's SHA-256, or a pulled segment's manifest's. */
  readonly zipSha256: string;
  readonly fileSha256: string;
  readonly fileName: string;
  readonly caseId: string;
  readonly manifest: BundleManifest;
  readonly manifestBytes: Buffer;
  readonly signature: Buffer;
  readonly signer: string;
  readonly signerPem: string;
  /** The sender's custody lines: the full entry's canonical JSON, or null for an omitted one. */
  readonly custodyLines: readonly { seq: number; hash: string; entry: string | null }[];
  /** Every public key that signed the sender's custody lines, by fingerprint. */
  readonly keys: ReadonlyMap<string, string>;
}

/** Which items are new here; an item held with another digest is a conflict that stops everything. */
export function planItems(store: EvidenceStore, manifest: BundleManifest): PlannedItem[] {
  return manifest.items.map((item) => {
    const held = q.findItem(store.db, item.id);
    if (held && held.id === item.id) {
      if (held.digest !== item.digest) {
        throw integrityFailure(
          `item ${item.id} is already in this store with digest ${held.digest}, but the sender says ${item.digest}: one of them was altered; nothing was received`,
        );
      }
      return { item, status: 'already-held' as const };
    }
    return { item, status: 'imported' as const };
  });
}

/** The bytes of the artifacts of the items that are new here. */
export function newArtifactBytes(plan: readonly PlannedItem[]): number {
  return plan
    .filter((p) => p.status === 'imported')
    .reduce((sum, p) => sum + p.item.artifacts.reduce((s, a) => s + a.size, 0), 0);
}

/** Refuses, before writing, evidence that would not fit on the store's disk (exit 3, nothing written). */
export function requireSpace(store: EvidenceStore, needed: number, doing: string, done: string): void {
  const stat = fs.statfsSync(store.layout.root);
  const free = stat.bavail * stat.bsize;
  if (needed > free) {
    throw operationFailure(
      `${doing} needs ${needed} bytes for the artifacts but the store's disk has ${free} free; free some space (nothing was ${done})`,
    );
  }
}

/** The case the items go into: this store's case with the sender's id, or a new one made from the manifest. */
export function ensureCase(
  store: EvidenceStore,
  manifest: BundleManifest,
): { value: Case; created: boolean } {
  const existing = q.findCase(store.db, manifest.case.id);
  if (existing && existing.id === manifest.case.id) return { value: existing, created: false };
  // Items keep their capture records, which name the sender's case id: the case keeps it too. A
  // different local case may already use the number, so the received one then gets a suffix.
  let number = manifest.case.number;
  for (let n = 1; q.findCase(store.db, number); n++)
    number = `${manifest.case.number}-received${n > 1 ? `-${n}` : ''}`;
  return {
    value: {
      id: manifest.case.id,
      number,
      title: manifest.case.title,
      description: null,
      createdAt: new Date().toISOString(),
      createdBy: store.requireInvestigator().id,
    },
    created: true,
  };
}

/** Creates the case `ensureCase` made up, with its `case.create` entry naming where it came from. */
export function createReceivedCase(
  store: EvidenceStore,
  db: WritableDB,
  caseRow: { value: Case; created: boolean },
  receivedFrom: string,
): void {
  if (!caseRow.created) return;
  store.appendInTransaction(db, {
    action: 'case.create',
    caseId: caseRow.value.id,
    subject: caseRow.value.id,
    details: {
      number: caseRow.value.number,
      title: caseRow.value.title,
      description: null,
      receivedFrom,
    },
  });
  q.insertCase(db, caseRow.value);
}

/**
 * Keeps the sender's manifest, signature, custody lines and keys under the transfer entry
 * (`bundle.receive` or `remote.pull`), and adds each new item; inside the transfer's transaction.
 */
export function keepReceived(
  store: EvidenceStore,
  db: WritableDB,
  transfer: LedgerEntry,
  plan: readonly PlannedItem[],
  source: ReceivedSource,
): void {
  const { zipSha256 } = source;
  rq.insertReceivedBundle(db, {
    zipSha256,
    fileSha256: source.fileSha256,
    fileName: source.fileName,
    receivedAt: transfer.time,
    ledgerSeq: transfer.seq,
    caseId: source.caseId,
    signerFingerprint: source.signer,
    signerPem: source.signerPem,
    exporter: canonicalJson(source.manifest.exporter),
    exportedAt: source.manifest.exportedAt,
    manifest: source.manifestBytes.toString('utf8'),
    manifestSig: source.signature.toString('base64'),
  });
  for (const [index, line] of source.custodyLines.entries()) {
    rq.insertReceivedCustodyLine(db, { zipSha256, line: index + 1, ...line });
  }
  for (const [fingerprint, pem] of source.keys) rq.insertReceivedKey(db, { fingerprint, pem, zipSha256 });
  for (const { item, status } of plan) {
    if (status !== 'imported') continue;
    insertReceivedItem(store, db, item, { zipSha256, signer: source.signer, transferSeq: transfer.seq });
  }
}

/** Adds one received item: its original capture record and digest, and an entry that signs that digest here. */
function insertReceivedItem(
  store: EvidenceStore,
  db: WritableDB,
  item: ManifestItem,
  from: { zipSha256: string; signer: string; transferSeq: number },
): void {
  const record = item.record as unknown as CaptureRecord;
  const entry = store.appendInTransaction(db, {
    action: 'item.receive',
    caseId: record.caseId,
    subject: item.id,
    details: {
      digest: item.digest,
      source: record.source,
      artifacts: record.artifacts.map((a) => ({ role: a.role, sha256: a.sha256, size: a.size })),
      bundle: from.zipSha256,
      signer: from.signer,
      transferSeq: from.transferSeq,
    },
  });
  q.insertItem(db, {
    record,
    recordJson: canonicalJson(record),
    digest: item.digest,
    url: record.kind === 'capture' ? item.sourceUrl : null,
    title: item.title ?? null,
    createdSeq: entry.seq,
  });
}
