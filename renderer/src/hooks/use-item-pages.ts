import { useCallback, useEffect, useRef, useState } from 'react';
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

/**
 * Pages through a case's items in blocks: only what is on screen is asked for, so the first rows
 * of a 100,000-item case appear as fast as those of a small one. A new query (or `version`) starts
 * over; answers to an older query are dropped.
 */
export function useItemPages(query: ItemQuery, version: number): ItemPages {
  const [blocks, setBlocks] = useState<ReadonlyMap<number, readonly ItemRow[]>>(new Map());
  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const generation = useRef(0);
  const requested = useRef(new Set<number>());
  const queryKey = JSON.stringify(query);

  const fetchBlock = useCallback(
    (block: number, gen: number) => {
      if (requested.current.has(block)) return;
      requested.current.add(block);
      const q = JSON.parse(queryKey) as ItemQuery;
      call('queryItems', { ...q, offset: block * PAGE_BLOCK, limit: PAGE_BLOCK }).then(
        (page) => {
          if (gen !== generation.current) return;
          setTotal(page.total);
          setError(null);
          setBlocks((old) => new Map(old).set(block, page.rows));
        },
        (e: unknown) => {
          if (gen !== generation.current) return;
          requested.current.delete(block);
          setError((e as Error).message);
        },
      );
    },
    [queryKey],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: version is a reload request, not read
  useEffect(() => {
    generation.current++;
    requested.current = new Set();
    setBlocks(new Map());
    fetchBlock(0, generation.current);
  }, [fetchBlock, version]);

  const ensureRange = useCallback(
    (first: number, last: number) => {
      for (
        let block = Math.floor(first / PAGE_BLOCK);
        block <= Math.floor(Math.max(first, last - 1) / PAGE_BLOCK);
        block++
      ) {
        fetchBlock(block, generation.current);
      }
    },
    [fetchBlock],
  );

  const rowAt = useCallback(
    (index: number) => blocks.get(Math.floor(index / PAGE_BLOCK))?.[index % PAGE_BLOCK],
    [blocks],
  );
  return { total, error, rowAt, ensureRange };
}
