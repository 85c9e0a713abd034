/**
 * timestamps/ in a bundle: each RFC 3161 reply as received (`<name>.tsr`), the authority's
 * certificate chain (`<name>.chain.pem`), and index.json saying what each one covers. Export copies
 * the granted tokens of the exported items and of the ledger heads inside custody.jsonl; verify
 * checks each token's imprint, signature and chain against the recipient's trusted roots
 * (bundled-token-check.ts, apart so that the token threads load neither the store nor zod).
 */
import type { EvidenceStore } from '../store/evidence-store.js';
import {
  LEDGER_HEAD,
  ledgerSeqOf,
  listTokensCovering,
  type TimestampToken,
} from '../timestamp/token-queries.js';
import { LEDGER_HEAD_COVER, type TimestampIndexEntry } from './format.js';

/** A token file to put in the bundle. */
export interface TimestampFile {
  readonly path: string;
  /** Where its bytes are on disk (a blob). */
  readonly file: string;
}

/** The trusted time of one item as the store holds it, for the report. */
export interface ItemTrustedTime {
  readonly genTime: string | null;
  readonly tsa: string | null;
  /** True when a request still waits for an authority (no token yet). */
  readonly pending: boolean;
}

/** What became of the ledger head's stamp at export. */
export interface HeadStamp {
  /** `granted`: the bundle carries it; `pending`: no authority answered; `not-configured`: none to ask. */
  readonly status: 'granted' | 'pending' | 'not-configured';
  readonly genTime: string | null;
  readonly tsa: string | null;
  /** Why it was not granted, in a sentence. */
  readonly reason: string | null;
}

/** What export puts under timestamps/. */
export interface CollectedTimestamps {
  readonly index: TimestampIndexEntry[];
  readonly files: TimestampFile[];
  /** The earliest granted token of each exported item (absent: never requested). */
  readonly byItem: ReadonlyMap<string, ItemTrustedTime>;
}

/**
 * The granted tokens of these items, and of every ledger head whose entry lies inside the custody
 * segment (sequence numbers `custodySpan`), with the index that lists them. Each token's chain goes
 * with it, so that a recipient can build the path to the root they trust.
 */
export function collectTimestamps(
  store: EvidenceStore,
  itemIds: readonly string[],
  custodySpan: { readonly firstSeq: number; readonly lastSeq: number },
): CollectedTimestamps {
  const db = store.db;
  const index: TimestampIndexEntry[] = [];
  const files: TimestampFile[] = [];
  const byItem = new Map<string, ItemTrustedTime>();
  const usedNames = new Set<string>();
  const add = (token: TimestampToken, baseName: string, extra: Partial<TimestampIndexEntry>) => {
    if (!token.tokenSha256) return;
    let name = baseName;
    for (let n = 2; usedNames.has(name); n++) name = `${baseName}-${n}`;
    usedNames.add(name);
    const file = `timestamps/${name}.tsr`;
    files.push({ path: file, file: store.blobs.pathOf(token.tokenSha256) });
    let chain: string | undefined;
    if (token.chainSha256) {
      chain = `timestamps/${name}.chain.pem`;
      files.push({ path: chain, file: store.blobs.pathOf(token.chainSha256) });
    }
    index.push({
      file,
      sha256: token.imprint,
      covers: token.covers,
      tsa: token.tsaUrl ?? '',
      time: token.genTime ?? '',
      ...(chain ? { chain } : {}),
      ...(token.tsaName ? { tsaName: token.tsaName } : {}),
      ...extra,
    });
  };

  for (const token of listTokensCovering(db, itemIds)) {
    if (token.status === 'granted') {
      add(token, token.covers, {});
      const earlier = byItem.get(token.covers);
      if (!earlier?.genTime || (token.genTime && token.genTime < earlier.genTime))
        byItem.set(token.covers, { genTime: token.genTime, tsa: token.tsaName, pending: false });
    } else if (!byItem.has(token.covers)) {
      byItem.set(token.covers, { genTime: null, tsa: null, pending: true });
    }
  }
  for (const token of listTokensCovering(db, [LEDGER_HEAD])) {
    if (token.status !== 'granted') continue;
    const seq = ledgerSeqOf(db, token.imprint);
    if (seq === undefined || seq < custodySpan.firstSeq || seq > custodySpan.lastSeq) continue;
    add(token, `${LEDGER_HEAD_COVER}-${seq}`, { ledgerSeq: seq });
  }
  return { index, files, byItem };
}
