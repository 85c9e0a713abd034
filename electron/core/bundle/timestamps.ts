/**
 * timestamps/ in a bundle: each RFC 3161 reply as received, and index.json saying what each one
 * covers. Export copies the granted tokens of the exported items; verify checks that each listed
 * token is there, that its imprint is the digest of what it covers, and reads its time.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { EvidenceStore } from '../store/evidence-store.js';
import { LEDGER_HEAD_COVER, type TimestampIndexEntry } from './format.js';

/** A token file to put in the bundle. */
export interface TimestampFile {
  readonly path: string;
  /** Where its bytes are on disk (a blob). */
  readonly file: string;
}

interface TokenRow {
  id: number;
  covers: string;
  imprint: string;
  tsa_url: string | null;
  token_sha256: string | null;
  chain_sha256: string | null;
  gen_time: string | null;
}

/** The granted tokens of these items whose reply is stored as a blob, and the index that lists them. */
export function collectTimestamps(
  store: EvidenceStore,
  itemIds: readonly string[],
): { index: TimestampIndexEntry[]; files: TimestampFile[] } {
  const wanted = new Set(itemIds);
  const index: TimestampIndexEntry[] = [];
  const files: TimestampFile[] = [];
  const rows = store.db
    .prepare(
      "SELECT * FROM timestamp_tokens WHERE status = 'granted' AND token_sha256 IS NOT NULL ORDER BY id",
    )
    .all() as TokenRow[];
  for (const row of rows) {
    if (!wanted.has(row.covers) || !row.token_sha256) continue;
    const base = `timestamps/${index.length + 1}`;
    files.push({ path: `${base}.tsr`, file: store.blobs.pathOf(row.token_sha256) });
    let chain: string | undefined;
    if (row.chain_sha256) {
      chain = `${base}.chain.pem`;
      files.push({ path: chain, file: store.blobs.pathOf(row.chain_sha256) });
    }
    index.push({
      file: `${base}.tsr`,
      sha256: row.imprint,
      covers: row.covers,
      tsa: row.tsa_url ?? '',
      time: row.gen_time ?? '',
      ...(chain ? { chain } : {}),
    });
  }
  return { index, files };
}

/** What verify learnt from one token. */
export interface TokenReading {
  readonly imprint: string;
  readonly hashAlgorithm: string;
  readonly genTime: string;
}

const SHA256_OID = '2.16.840.1.101.3.4.2.1';

/** Reads the imprint and time of a DER TimeStampResp; a sentence saying what is wrong when it cannot. */
export function readTimestampReply(der: Uint8Array): TokenReading | string {
  try {
    const asn = asn1js.fromBER(der);
    if (asn.offset === -1) return 'is not DER';
    const response = new pkijs.TimeStampResp({ schema: asn.result });
    if (response.status.status !== 0 && response.status.status !== 1)
      return `the authority refused it (status ${response.status.status})`;
    if (!response.timeStampToken) return 'holds no token';
    const signed = new pkijs.SignedData({ schema: response.timeStampToken.content });
    const content = signed.encapContentInfo.eContent;
    if (!content) return 'its token holds no TSTInfo';
    const info = new pkijs.TSTInfo({ schema: asn1js.fromBER(content.valueBlock.valueHexView).result });
    return {
      imprint: Buffer.from(info.messageImprint.hashedMessage.valueBlock.valueHexView).toString('hex'),
      hashAlgorithm:
        info.messageImprint.hashAlgorithm.algorithmId === SHA256_OID
          ? 'sha256'
          : info.messageImprint.hashAlgorithm.algorithmId,
      genTime: info.genTime.toISOString(),
    };
  } catch (error) {
    return `is not a readable RFC 3161 reply (${(error as Error).message})`;
  }
}

/** What an index entry's imprint must equal: the covered item's digest, or a custody entry's hash for the ledger head. */
export function expectedImprint(
  entry: TimestampIndexEntry,
  itemDigests: ReadonlyMap<string, string>,
  custodyHashes: ReadonlySet<string>,
): string | null {
  if (entry.covers === LEDGER_HEAD_COVER) return custodyHashes.has(entry.sha256) ? entry.sha256 : null;
  return itemDigests.get(entry.covers) ?? null;
}
