/**
 * The selection of a long list, as file managers keep it: the active row (where the keyboard is),
 * the selected rows (by id, so a selection survives a re-sort or new rows), and the anchor a
 * Shift-extension starts from. Pure functions, so that every gesture is tested without a DOM.
 */

/** The modifier keys of a move or a click. */
export interface Gesture {
  /** Shift: extend the selection from the anchor to the row. */
  readonly extend: boolean;
  /** Ctrl (Cmd on macOS): move without changing the selection, or toggle the clicked row. */
  readonly keep: boolean;
}

/** A plain move or click: no modifier held. */
export const PLAIN: Gesture = { extend: false, keep: false };

/** The selection of a list. */
export interface ListSelection {
  readonly active: number;
  readonly anchor: number;
  readonly selected: ReadonlySet<string>;
}

/** Nothing selected, the first row active. */
export const EMPTY_SELECTION: ListSelection = { active: 0, anchor: 0, selected: new Set() };

/**
 * After the keyboard moved to `index` (arrows, Home/End, Page Up/Down): a plain move selects that
 * row alone, Shift extends from the anchor (`rangeIds` gives the ids of rows anchor…index, or
 * null while some are not loaded: then only the active row moves and the caller completes the range),
 * Ctrl moves without selecting.
 */
export function moveTo(
  state: ListSelection,
  index: number,
  id: string | undefined,
  gesture: Gesture,
  rangeIds: (first: number, last: number) => readonly string[] | null,
): ListSelection {
  if (gesture.extend) {
    const ids = rangeIds(Math.min(state.anchor, index), Math.max(state.anchor, index) + 1);
    return { ...state, active: index, selected: ids ? new Set(ids) : state.selected };
  }
  if (gesture.keep || id === undefined) return { ...state, active: index };
  return { active: index, anchor: index, selected: new Set([id]) };
}

/** A click on a row: alone it selects that row; Ctrl toggles it; Shift extends from the anchor. */
export function clickRow(
  state: ListSelection,
  index: number,
  id: string,
  gesture: Gesture,
  rangeIds: (first: number, last: number) => readonly string[] | null,
): ListSelection {
  if (gesture.keep && !gesture.extend) return toggleRow(state, index, id);
  return moveTo(state, index, id, gesture, rangeIds);
}

/** Space (or a row's checkbox): the row joins or leaves the selection; it becomes the anchor. */
export function toggleRow(state: ListSelection, index: number, id: string): ListSelection {
  const selected = new Set(state.selected);
  if (!selected.delete(id)) selected.add(id);
  return { active: index, anchor: index, selected };
}

/** The same selection with the range anchor…active set to `ids` (once the rows between have loaded). */
export function withRange(state: ListSelection, ids: readonly string[]): ListSelection {
  return { ...state, selected: new Set(ids) };
}
