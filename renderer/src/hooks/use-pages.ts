import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';

/**
 * Rows fetched per request: about three screens' worth. A searched block costs a snippet per row
 * (the page text of each read and normalised), so 50 rows paint sooner than 100 (bench/search).
 */
export const PAGE_BLOCK = 50;

/** A long list's rows, fetched a block at a time as they scroll into view. */
export interface Pages<Row> {
  /** Rows matching the query; null until the first answer. */
  readonly total: number | null;
  /** The bound a search stopped at, when it matched more than the list holds (`ItemPage.matchCap`). */
  readonly matchCap: number | null;
  readonly error: string | null;
  /** A row, or undefined while its block is on its way. */
  rowAt(index: number): Row | undefined;
  /** Asks for the blocks that cover rows [first, last). */
  ensureRange(first: number, last: number): void;
  /** The rows [first, last), fetching the blocks not yet here (a Shift+End over 100,000 rows). */
  rowsIn(first: number, last: number): Promise<readonly Row[]>;
}

/** Calls made at once by `rowsIn`: a long range loads quickly without flooding the service. */
const PARALLEL_CALLS = 4;
/**
 * Consecutive missing blocks `rowsIn` asks for in one call: a Shift+End over 100,000 rows makes
 * 500 calls, not 2,000 of one block each (the list's own blocks stay small for its first paint).
 */
const BLOCKS_PER_CALL = 4;

/**
 * Fetches `limit` rows from `offset`, with the total that match; `signal` is aborted once the
 * query is no longer the list's (a new search typed), so a call not yet started is dropped.
 */
export type FetchPage<Row> = (
  offset: number,
  limit: number,
  signal: AbortSignal,
) => Promise<{ readonly total: number; readonly matchCap?: number; readonly rows: readonly Row[] }>;

/** One query's blocks: which were asked for, and the signal that ends its calls. */
interface Session<Row> {
  readonly fetch: FetchPage<Row>;
  readonly requested: Set<number>;
  readonly stale: AbortController;
}

interface Loaded<Row> {
  readonly session: Session<Row> | null;
  readonly total: number | null;
  readonly matchCap: number | null;
  readonly blocks: ReadonlyMap<number, readonly Row[]>;
}

/**
 * Pages through a long list in blocks: only what is on screen is asked for, so the first rows of a
 * 100,000-row list appear as fast as those of a small one. A new `key` (the query, and a version
 * that changes after a write) starts a new session; the rows of the previous one stay on screen
 * until the new ones arrive (no flash), and answers to an older session are dropped.
 */
export function usePages<Row>(key: string, fetch: FetchPage<Row>): Pages<Row> {
  const latest = useRef(fetch);
  latest.current = fetch;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the key decides when a session starts
  const session = useMemo<Session<Row>>(
    () => ({ fetch: latest.current, requested: new Set(), stale: new AbortController() }),
    [key],
  );
  const live = useRef(session);
  // A layout effect runs before any child's passive effect asks for rows. The session it
  // replaces cancels its calls still waiting for the service (not in a cleanup: StrictMode runs
  // those on a session that stays).
  useLayoutEffect(() => {
    if (live.current !== session) live.current.stale.abort();
    live.current = session;
  }, [session]);
  const [loaded, setLoaded] = useState<Loaded<Row>>({
    session: null,
    total: null,
    matchCap: null,
    blocks: new Map(),
  });
  const [error, setError] = useState<string | null>(null);

  const keep = useCallback(
    (block: number, page: Awaited<ReturnType<FetchPage<Row>>>) => {
      if (live.current !== session) return;
      setError(null);
      setLoaded((old) => ({
        session,
        total: page.total,
        matchCap: page.matchCap ?? null,
        blocks: new Map(old.session === session ? old.blocks : []).set(block, page.rows),
      }));
    },
    [session],
  );

  const fetchBlock = useCallback(
    (block: number) => {
      if (session.requested.has(block)) return;
      session.requested.add(block);
      session.fetch(block * PAGE_BLOCK, PAGE_BLOCK, session.stale.signal).then(
        (page) => keep(block, page),
        (e: unknown) => {
          if (live.current !== session) return;
          session.requested.delete(block);
          setError((e as Error).message);
        },
      );
    },
    [session, keep],
  );

  useEffect(() => fetchBlock(0), [fetchBlock]);

  const ensureRange = useCallback(
    (first: number, last: number) => {
      const lastBlock = Math.floor(Math.max(first, last - 1) / PAGE_BLOCK);
      for (let block = Math.floor(first / PAGE_BLOCK); block <= lastBlock; block++) fetchBlock(block);
    },
    [fetchBlock],
  );

  const { blocks } = loaded;
  const rowAt = useCallback(
    (index: number) => blocks.get(Math.floor(index / PAGE_BLOCK))?.[index % PAGE_BLOCK],
    [blocks],
  );
  const current = loaded.session === session;
  const rowsIn = useCallback(
    async (first: number, last: number) => {
      const wanted: number[] = [];
      for (let block = Math.floor(first / PAGE_BLOCK); block * PAGE_BLOCK < last; block++) wanted.push(block);
      const got = new Map<number, readonly Row[]>();
      // The blocks not here yet, in runs of consecutive blocks that one call each fetches.
      const runs: number[][] = [];
      for (const block of wanted) {
        const here = current ? blocks.get(block) : undefined;
        if (here) {
          got.set(block, here);
          continue;
        }
        const run = runs.at(-1);
        if (run && run.at(-1) === block - 1 && run.length < BLOCKS_PER_CALL) run.push(block);
        else runs.push([block]);
      }
      for (let start = 0; start < runs.length; start += PARALLEL_CALLS) {
        await Promise.all(
          runs.slice(start, start + PARALLEL_CALLS).map(async (run) => {
            const head = run[0] ?? 0;
            for (const block of run) session.requested.add(block);
            const page = await session.fetch(
              head * PAGE_BLOCK,
              run.length * PAGE_BLOCK,
              session.stale.signal,
            );
            for (const block of run) {
              const rows = page.rows.slice((block - head) * PAGE_BLOCK, (block - head + 1) * PAGE_BLOCK);
              keep(block, { ...page, rows });
              got.set(block, rows);
            }
          }),
        );
      }
      return wanted
        .flatMap((block) => got.get(block) ?? [])
        .slice(first - (wanted[0] ?? 0) * PAGE_BLOCK, last - (wanted[0] ?? 0) * PAGE_BLOCK);
    },
    [blocks, current, session, keep],
  );
  return { total: loaded.total, matchCap: loaded.matchCap, error, rowAt, ensureRange, rowsIn };
}
