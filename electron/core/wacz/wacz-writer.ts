/**
 * Writes one WACZ file (docs/BUNDLE-FORMAT.md, "The WACZ") of page captures, streaming: each WARC
 * and artifact is read from its blob as yazl reaches it, hashed as it flows and checked against the
 * hash the store recorded; the WARCs are stored uncompressed in the ZIP so a replayer can read a
 * record by its offset. datapackage.json lists every file with its hash, datapackage-digest.json
 * its digest, signed per the WACZ signing recommendation, with the digest's RFC 3161 token when one
 * was granted.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Case, Investigator } from '../../../shared/domain.js';
import { TOOL_NAME, TOOL_VERSION } from '../../../shared/version.js';
import type { ExportItem } from '../bundle/export-bundle.js';
import type { ManifestItem } from '../bundle/format.js';
import { BundleZipWriter, type Hashed, HashingTap, isAlreadyCompressed } from '../bundle/zip-writer.js';
import type { Signer } from '../store/signing-key.js';
import { cdxjIndex } from './cdxj-index.js';
import {
  type Datapackage,
  type DigestFile,
  PAGES_HEADER,
  prefixedSha256,
  WACZ_FILES,
  WACZ_VERSION,
  type WaczItemsFile,
  waczItemFolder,
  warcPath,
} from './wacz-format.js';
import { deriveWaczSigningKey, keyBinding, signDigestHash } from './wacz-signing-key.js';

/** One page capture to put in the WACZ: its manifest entry (as a bundle lists it) and its blobs. */
export interface WaczPageItem {
  readonly manifest: ManifestItem;
  /** Blob path of each manifest artifact, in order. */
  readonly blobFiles: readonly string[];
  /** The canonical JSON of its capture record, exactly as stored (its SHA-256 is the digest). */
  readonly recordJson: string;
}

/** The RFC 3161 token of the datapackage.json digest, as `datapackage-digest.json` carries it. */
export interface DigestStamp {
  readonly der: Buffer;
  readonly chainPem: string;
  readonly tsa: string;
  readonly genTime: string;
}

/** What to write. */
export interface WaczContents {
  readonly caseRow: Case;
  readonly investigator: Investigator;
  readonly signer: Signer;
  readonly items: readonly WaczPageItem[];
  readonly now: Date;
  /** Asks an authority to stamp the datapackage.json digest (hex); null when none granted one. */
  readonly stampDigest?: (sha256Hex: string) => Promise<DigestStamp | null>;
  readonly signal?: AbortSignal;
}

/** What was written. */
export interface WrittenWacz extends Hashed {
  /** The SHA-256 of datapackage.json: the hash that is signed and timestamped. */
  readonly datapackageSha256: string;
  /** The ECDSA P-384 public key that signed it (SPKI DER, base64). */
  readonly publicKey: string;
  readonly stamp: DigestStamp | null;
  readonly pages: number;
}

/** Whether an exported item is a page capture with a WARC, which a WACZ can hold. */
export function isPageCapture(item: ExportItem): boolean {
  return item.stored.kind === 'capture' && item.manifest.artifacts.some((a) => a.role === 'warc');
}

/** The WACZ writer's view of an exported item. */
export function waczPageItem(item: ExportItem): WaczPageItem {
  return { manifest: item.manifest, blobFiles: item.blobFiles, recordJson: item.stored.recordJson };
}

/** Writes the WACZ into `file` (created; never overwritten). */
export async function writeWacz(contents: WaczContents, file: string): Promise<WrittenWacz> {
  const writer = new BundleZipWriter(contents.now, contents.signal);
  const tap = new HashingTap();
  const output = fs.createWriteStream(file, { flags: 'wx', mode: 0o600 });
  const written = pipeline(Readable.from(writer.output), tap, output);
  written.catch((error: Error) => writer.fail(error));
  try {
    return await writeEntries(contents, writer, written, tap);
  } catch (error) {
    // The file is removed by the caller: let its stream close first, or an open on its way would make it again.
    if (!output.closed) {
      const closed = new Promise<void>((resolve) => output.once('close', () => resolve()));
      output.destroy();
      await closed;
    }
    throw error;
  }
}

/** Adds the entries in the WACZ's order, then the signed digest, and waits for the file to be whole. */
async function writeEntries(
  contents: WaczContents,
  writer: BundleZipWriter,
  written: Promise<void>,
  tap: HashingTap,
): Promise<WrittenWacz> {
  const key = deriveWaczSigningKey(contents.signer);
  const warcs = addArtifacts(writer, contents.items);
  writer.addBuffer(WACZ_FILES.index, Buffer.from(await cdxjIndex(warcs)));
  writer.addBuffer(WACZ_FILES.pages, Buffer.from(pagesText(contents.items)));
  writer.addBuffer(WACZ_FILES.items, jsonBytes(itemsFile(contents)));
  writer.addBuffer(
    WACZ_FILES.itemRecords,
    Buffer.from(contents.items.map((item) => `${item.recordJson}\n`).join('')),
  );
  const binding = jsonBytes(keyBinding(key, contents.investigator));
  writer.addBuffer(WACZ_FILES.keyBinding, binding);
  writer.addBuffer(WACZ_FILES.keyBindingSignature, contents.signer.sign(binding), false);
  writer.addBuffer(WACZ_FILES.signerKey, Buffer.from(contents.investigator.publicKeyPem));

  const hashes = await writer.settled();
  const datapackage = jsonBytes(datapackageOf(contents, hashes));
  const datapackageSha256 = writer.addBuffer(WACZ_FILES.datapackage, datapackage).sha256;
  const hash = prefixedSha256(datapackageSha256);
  const stamp = (await contents.stampDigest?.(datapackageSha256)) ?? null;
  const digest: DigestFile = {
    path: 'datapackage.json',
    hash,
    signedData: {
      hash,
      created: contents.now.toISOString(),
      software: `${TOOL_NAME} ${TOOL_VERSION}`,
      version: TOOL_VERSION,
      signature: signDigestHash(key, hash),
      publicKey: key.publicKey,
    },
    ...(stamp
      ? {
          timestamp: {
            hash,
            token: stamp.der.toString('base64'),
            chain: stamp.chainPem,
            tsa: stamp.tsa,
            genTime: stamp.genTime,
          },
        }
      : {}),
  };
  writer.addBuffer(WACZ_FILES.digest, jsonBytes(digest));
  writer.end();
  await Promise.race([written, writer.failure]);
  return {
    ...tap.result,
    datapackageSha256,
    publicKey: key.publicKey,
    stamp,
    pages: contents.items.length,
  };
}

/** Adds every item's WARC under archive/ and its other artifacts under custos/items/; returns the WARCs to index. */
function addArtifacts(
  writer: BundleZipWriter,
  items: readonly WaczPageItem[],
): { name: string; file: string }[] {
  const warcs: { name: string; file: string }[] = [];
  for (const item of items) {
    item.manifest.artifacts.forEach((artifact, index) => {
      const blob = item.blobFiles[index]!;
      const target = waczArtifactPath(item.manifest.id, artifact);
      if (artifact.role === 'warc') warcs.push({ name: path.posix.basename(target), file: blob });
      writer.addFile(target, blob, {
        compress: artifact.role !== 'warc' && !isAlreadyCompressed(artifact.mediaType, artifact.path),
        expected: { sha256: artifact.sha256, size: artifact.size },
        // a changed blob is named as the export of a bundle and `custos audit` name it, not by
        // its place in the WACZ (custos/items/…, archive/…), which the bundle has not
        storedAs: artifact.path,
      });
    });
  }
  return warcs;
}

/** Where an artifact goes in the WACZ: the WARC under archive/, the rest under custos/items/<id>/. */
function waczArtifactPath(itemId: string, artifact: ManifestItem['artifacts'][number]): string {
  return artifact.role === 'warc'
    ? warcPath(itemId)
    : `${waczItemFolder(itemId)}${path.posix.basename(artifact.path)}`;
}

/** pages/pages.jsonl: the header line, then one page per capture (the address asked for, its title, its time). */
function pagesText(items: readonly WaczPageItem[]): string {
  const lines = [
    PAGES_HEADER,
    ...items.map(({ manifest }) => ({
      id: manifest.id,
      url: manifest.sourceUrl,
      title: manifest.title ?? manifest.sourceUrl,
      ts: manifest.capturedAt,
    })),
  ];
  return lines.map((line) => `${JSON.stringify(line)}\n`).join('');
}

/** custos/items.json: the case and each item with its digest and its artifacts' paths in this WACZ. */
function itemsFile(contents: WaczContents): WaczItemsFile {
  const { caseRow } = contents;
  return {
    case: { id: caseRow.id, number: caseRow.number, title: caseRow.title },
    exportedAt: contents.now.toISOString(),
    items: contents.items.map(({ manifest }) => ({
      id: manifest.id,
      url: manifest.sourceUrl,
      title: manifest.title ?? null,
      capturedAt: manifest.capturedAt,
      digest: manifest.digest,
      artifacts: manifest.artifacts.map((a) => ({
        path: waczArtifactPath(manifest.id, a),
        role: a.role,
        mediaType: a.mediaType,
        size: a.size,
        sha256: a.sha256,
      })),
    })),
  };
}

/** datapackage.json: the package's description and every file with its hash and size, by path. */
function datapackageOf(contents: WaczContents, hashes: ReadonlyMap<string, Hashed>): Datapackage {
  const first = contents.items[0]?.manifest;
  const created = contents.now.toISOString();
  const { caseRow, investigator } = contents;
  return {
    profile: 'data-package',
    wacz_version: WACZ_VERSION,
    title: `${caseRow.number}: ${caseRow.title}`,
    description: `Web captures of case ${caseRow.number}, exported by ${investigator.name}${investigator.agency ? ` (${investigator.agency})` : ''} with ${TOOL_NAME}. Each page's screenshots, MHTML and capture record are in custos/items/; custos/items.json lists them with the digest the custody ledger signed.`,
    created,
    modified: created,
    software: `${TOOL_NAME} ${TOOL_VERSION}`,
    ...(first ? { mainPageUrl: first.sourceUrl, mainPageDate: first.capturedAt } : {}),
    resources: [...hashes]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([p, h]) => ({
        name: path.posix.basename(p),
        path: p,
        hash: prefixedSha256(h.sha256),
        bytes: h.size,
      })),
  };
}

function jsonBytes(value: unknown): Buffer {
  return Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');
}
