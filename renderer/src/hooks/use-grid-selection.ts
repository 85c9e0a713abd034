import { useCallback, useRef } from 'react';
import {
  clickRow,
  type Gesture,
  type ListSelection,
  moveTo,
  toggleRow,
  withRange,
} from '../state/list-selection.js';
import type { Pages } from './use-pages.js';

/** What the grid reports, turned into selection changes. */
export interface GridSelection<Row> {
  /** The keyboard moved the active row. */
  readonly move: (index: number, gesture: Gesture) => void;
  /** A row was clicked. */
  readonly click: (index: number, row: Row, gesture: Gesture) => void;
  /** Space or a row's checkbox. */
  readonly toggle: (index: number, id: string) => void;
}

/**
 * The selection gestures of a paged grid (`state/list-selection.ts` on `pages`' rows). A
 * Shift-extension over rows not loaded yet (Shift+End in a long case) selects them once their
 * blocks have come, unless the investigator has moved on meanwhile.
 */
export function useGridSelection<Row extends { readonly id: string }>(
  pages: Pages<Row>,
  selection: ListSelection,
  change: (update: (selection: ListSelection) => ListSelection) => void,
): GridSelection<Row> {
  const { rowAt, rowsIn } = pages;
  const latest = useRef(selection);
  latest.current = selection;

  /** The ids of rows [first, last) when all are loaded, else null. */
  const loadedIds = useCallback(
    (first: number, last: number) => {
      const ids: string[] = [];
      for (let index = first; index < last; index++) {
        const row = rowAt(index);
        if (!row) return null;
        ids.push(row.id);
      }
      return ids;
    },
    [rowAt],
  );

  const completeRange = useCallback(
    (gesture: Gesture, index: number) => {
      // An extension keeps the anchor, so the one in the selection now is the range's.
      const { anchor } = latest.current;
      const first = Math.min(anchor, index);
      const last = Math.max(anchor, index) + 1;
      if (!gesture.extend || loadedIds(first, last) !== null) return;
      void rowsIn(first, last).then((rows) =>
        change((now) =>
          now.anchor === anchor && now.active === index
            ? withRange(
                now,
                rows.map((row) => row.id),
              )
            : now,
        ),
      );
    },
    [loadedIds, rowsIn, change],
  );

  const move = useCallback(
    (index: number, gesture: Gesture) => {
      change((s) => moveTo(s, index, rowAt(index)?.id, gesture, loadedIds));
      completeRange(gesture, index);
    },
    [change, rowAt, loadedIds, completeRange],
  );
  const click = useCallback(
    (index: number, row: Row, gesture: Gesture) => {
      change((s) => clickRow(s, index, row.id, gesture, loadedIds));
      completeRange(gesture, index);
    },
    [change, loadedIds, completeRange],
  );
  const toggle = useCallback((index: number, id: string) => change((s) => toggleRow(s, index, id)), [change]);
  return { move, click, toggle };
}
