/**
 * The timestamp queue: every item digest and the ledger head wait in `timestamp_tokens` as pending
 * requests until an authority grants a token. A granted token is stored as received (a blob), with
 * the chain that validated it (a blob), and its custody entry commits with its row.
 */
import type { WritableDB } from '../store/database.js';
import type { EvidenceStore } from '../store/evidence-store.js';
import { findItem } from '../store/queries.js';
import { configuredAuthorities, userTrustedRoots } from './configured-authorities.js';
import {
  getToken,
  grantedToken,
  LEDGER_HEAD,
  ledgerHead,
  ledgerHeadNeedsStamp,
  ledgerSeqOf,
  listPending,
  markGranted,
  queueRequest,
  queueUnstampedItems,
  recordAttempt,
  type TimestampToken,
} from './token-queries.js';
import type { TokenVerification } from './verify-token.js';

/** How a run asks for tokens. */
export interface StampOptions {
  /** Authorities for this run, in order; the store's configured list when absent. */
  readonly authorities?: readonly string[];
  /** Bound on each request (default: the client's). */
  readonly timeoutMs?: number;
  /** Called as each request is settled (granted or left pending), for a line of progress. */
  readonly onResult?: (result: StampResult) => void;
}

/** Why one authority gave no token in this run. */
export interface StampFailure {
  readonly tsaUrl: string;
  readonly reason: string;
  readonly message: string;
}

/** What became of one request in a run. */
export interface StampResult {
  /** An item id, or `ledger-head`. */
  readonly covers: string;
  readonly imprint: string;
  readonly status: 'granted' | 'pending';
  readonly tsaUrl: string | null;
  readonly tsa: string | null;
  readonly genTime: string | null;
  readonly tokenSha256: string | null;
  /** Each authority that failed for this request, in the order asked. */
  readonly failures: readonly StampFailure[];
}

/**
 * Sends every pending request (first queuing items that have none, as after a crash), then the
 * ledger head if anything was recorded since it was last stamped. Requests no authority grants
 * stay pending, with the reason recorded; an authority that fails is not asked again in this run.
 */
export async function requestPending(
  store: EvidenceStore,
  options: StampOptions = {},
): Promise<StampResult[]> {
  store.transaction((db) => queueUnstampedItems(db, new Date().toISOString()));
  const authorities = options.authorities ?? configuredAuthorities(store.db);
  const down = new Map<string, StampFailure>();
  const items = listPending(store.db).filter((row) => row.covers !== LEDGER_HEAD);
  const results = await stampRows(store, items, authorities, down, options);
  // Queued after the items, so that the head stamped includes their own `timestamp.granted` entries.
  const head = store.transaction((db) => (ledgerHeadNeedsStamp(db) ? queueHead(db) : pendingHead(store)));
  if (head) results.push(...(await stampRows(store, [head], authorities, down, options)));
  return results;
}

/**
 * Stamps items just committed (by a capture or an import): queues each one, and asks the
 * configured authorities at once if there are any. Never throws: whatever happens, the items stay
 * committed and a request that was not granted waits for `custos timestamp`.
 */
export async function stampNewItems(
  store: EvidenceStore,
  itemIds: readonly string[],
  options: StampOptions = {},
): Promise<StampResult[]> {
  let rows: TimestampToken[];
  try {
    const now = new Date().toISOString();
    rows = store.transaction((db) =>
      itemIds.flatMap((id) => {
        const item = findItem(db, id);
        return item ? [grantedToken(db, item.id) ?? queueRequest(db, item.id, item.digest, now)] : [];
      }),
    );
  } catch (error) {
    return itemIds.map((id) => ({
      ...pendingResult({ covers: id, imprint: '' }),
      failures: [internalFailure(error)],
    }));
  }
  const pending = rows.filter((row) => row.status === 'pending');
  const authorities = options.authorities ?? configuredAuthorities(store.db);
  const stamped = await stampRows(store, pending, authorities, new Map(), options);
  return rows.map((row) => stamped.find((result) => result.covers === row.covers) ?? grantedResult(row));
}

/** `stampNewItems` for one item. */
export async function stampNewItem(
  store: EvidenceStore,
  itemId: string,
  options: StampOptions = {},
): Promise<StampResult> {
  const [result] = await stampNewItems(store, [itemId], options);
  if (!result) throw new Error('stampNewItems returned no result');
  return result;
}

/**
 * Stamps the ledger's current head (an export calls this): queued, then asked at once if an
 * authority is configured; left pending otherwise. Returns undefined when the ledger is empty.
 */
export async function stampLedgerHead(
  store: EvidenceStore,
  options: StampOptions = {},
): Promise<StampResult | undefined> {
  const head = store.transaction((db) => queueHead(db));
  if (!head) return undefined;
  const authorities = options.authorities ?? configuredAuthorities(store.db);
  const [result] = await stampRows(store, [head], authorities, new Map(), options);
  return result;
}

function queueHead(db: WritableDB): TimestampToken | undefined {
  const head = ledgerHead(db);
  return head ? queueRequest(db, LEDGER_HEAD, head.hash, new Date().toISOString()) : undefined;
}

function pendingHead(store: EvidenceStore): TimestampToken | undefined {
  return listPending(store.db).find((row) => row.covers === LEDGER_HEAD);
}

async function stampRows(
  store: EvidenceStore,
  rows: readonly TimestampToken[],
  authorities: readonly string[],
  down: Map<string, StampFailure>,
  options: StampOptions,
): Promise<StampResult[]> {
  const results: StampResult[] = [];
  const trustedRootsPem = userTrustedRoots(store.db);
  for (const row of rows) {
    const failures: StampFailure[] = [];
    let granted: StampResult | undefined;
    for (const tsaUrl of authorities) {
      const known = down.get(tsaUrl);
      if (known) {
        failures.push(known);
        continue;
      }
      // Loaded when an authority is asked: the RFC 3161 client pulls in pkijs (~40 ms), which a
      // capture or an import on a store without authorities (its requests only queued) never needs.
      const { requestTimestamp } = await import('./tsa-client.js');
      const reply = await requestTimestamp(tsaUrl, row.imprint, {
        trustedRootsPem,
        timeoutMs: options.timeoutMs,
      });
      if (!reply.ok) {
        const failure = { tsaUrl, reason: reply.reason, message: reply.message };
        failures.push(failure);
        down.set(tsaUrl, failure);
        continue;
      }
      try {
        granted = await grant(store, row, tsaUrl, reply.der, reply.verification);
      } catch (error) {
        // The token could not be recorded (a full disk, an unreadable key): the request stays pending.
        failures.push(internalFailure(error, tsaUrl));
      }
      break;
    }
    if (!granted && authorities.length > 0) {
      const reason = failures.map((f) => f.message).join('; ');
      try {
        store.transaction((db) => recordAttempt(db, row.id, new Date().toISOString(), reason));
      } catch (error) {
        failures.push(internalFailure(error));
      }
    }
    const result = granted ?? { ...pendingResult(row), failures };
    results.push(result);
    options.onResult?.(result);
  }
  return results;
}

async function grant(
  store: EvidenceStore,
  row: TimestampToken,
  tsaUrl: string,
  der: Buffer,
  verification: TokenVerification,
): Promise<StampResult> {
  const token = await store.blobs.putBuffer(der);
  const chain = await store.blobs.putBuffer(Buffer.from(verification.chain.join(''), 'utf8'));
  const genTime = verification.genTime ?? '';
  const tsa = verification.tsa ?? '';
  store.transaction((db) => {
    markGranted(db, row.id, {
      at: new Date().toISOString(),
      tsaUrl,
      tsaName: tsa,
      genTime,
      tokenSha256: token.sha256,
      chainSha256: chain.sha256,
    });
    const isHead = row.covers === LEDGER_HEAD;
    store.appendInTransaction(db, {
      action: 'timestamp.granted',
      caseId: isHead ? null : (findItem(db, row.covers)?.caseId ?? null),
      subject: row.covers,
      details: {
        imprint: row.imprint,
        ...(isHead ? { headSeq: ledgerSeqOf(db, row.imprint) ?? null } : {}),
        tsaUrl,
        tsa,
        genTime,
        serial: verification.serial,
        policy: verification.policy,
        tokenSha256: token.sha256,
        chainSha256: chain.sha256,
      },
    });
  });
  const stored = getToken(store.db, row.id);
  if (!stored) throw new Error(`timestamp request ${row.id} vanished`);
  return grantedResult(stored);
}

function grantedResult(token: TimestampToken): StampResult {
  return {
    covers: token.covers,
    imprint: token.imprint,
    status: token.status,
    tsaUrl: token.tsaUrl,
    tsa: token.tsaName,
    genTime: token.genTime,
    tokenSha256: token.tokenSha256,
    failures: [],
  };
}

function internalFailure(error: unknown, tsaUrl = ''): StampFailure {
  const detail = error instanceof Error ? error.message : String(error);
  return { tsaUrl, reason: 'internal', message: `the timestamp could not be recorded: ${detail}` };
}

function pendingResult(row: Pick<TimestampToken, 'covers' | 'imprint'>): StampResult {
  return {
    covers: row.covers,
    imprint: row.imprint,
    status: 'pending',
    tsaUrl: null,
    tsa: null,
    genTime: null,
    tokenSha256: null,
    failures: [],
  };
}
