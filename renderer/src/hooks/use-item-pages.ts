import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ApiInput, ItemRow } from '../../../shared/api.js';
import { call } from '../platform/custos.js';

/** Rows fetched per request: a few screens' worth. */
export const PAGE_BLOCK = 100;

/** The list's query, without the paging. */
export type ItemQuery = Omit<ApiInput<'queryItems'>, 'offset' | 'limit'>;

/** The evidence list's rows, fetched a block at a time as they scroll into view. */
export interface ItemPages {
  /** Items matching the query; null until the first answer. */
  readonly total: number | null;
  readonly error: string | null;
  /** A row, or undefined while its block is on its way. */
  rowAt(index: number): ItemRow | undefined;
  /** Asks for the blocks that cover rows [first, last). */
  ensureRange(first: number, last: number): void;
}

/** One query's blocks: which were asked for, and which arrived. */
interface Session {
  readonly query: ItemQuery;
  readonly requested: Set<number>;
}

interface Loaded {
  readonly session: Session | null;
  readonly total: number | null;
  readonly blocks: ReadonlyMap<number, readonly ItemRow[]>;
}

/**
 * Pages through a case's items in blocks: only what is on screen is asked for, so the first rows
 * of a 100,000-item case appear as fast as those of a small one. A new query (or `version`) starts
 * a new session; the rows of the previous one stay on screen until the new ones arrive (no flash),
 * and answers to an older session are dropped.
 */
export function useItemPages(query: ItemQuery, version: number): ItemPages {
  const queryKey = JSON.stringify(query);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the key and version decide when a session starts
  const session = useMemo<Session>(
    () => ({ query: JSON.parse(queryKey) as ItemQuery, requested: new Set() }),
    [queryKey, version],
  );
  const live = useRef(session);
  // A layout effect runs before any child's passive effect asks for rows.
  useLayoutEffect(() => {
    live.current = session;
  }, [session]);
  const [loaded, setLoaded] = useState<Loaded>({ session: null, total: null, blocks: new Map() });
  const [error, setError] = useState<string | null>(null);

  const fetchBlock = useCallback(
    (block: number) => {
      if (session.requested.has(block)) return;
      session.requested.add(block);
      call('queryItems', { ...session.query, offset: block * PAGE_BLOCK, limit: PAGE_BLOCK }).then(
        (page) => {
          if (live.current !== session) return;
          setError(null);
          setLoaded((old) => ({
            session,
            total: page.total,
            blocks: new Map(old.session === session ? old.blocks : []).set(block, page.rows),
          }));
        },
        (e: unknown) => {
          if (live.current !== session) return;
          session.requested.delete(block);
          setError((e as Error).message);
        },
      );
    },
    [session],
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
  return { total: loaded.total, error, rowAt, ensureRange };
}
