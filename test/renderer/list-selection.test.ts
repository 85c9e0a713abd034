import { describe, expect, it } from 'vitest';
import {
  clickRow,
  EMPTY_SELECTION,
  type ListSelection,
  moveTo,
  PLAIN,
  toggleRow,
} from '../../renderer/src/state/list-selection.js';

const ids = (first: number, last: number) =>
  Array.from({ length: last - first }, (_, i) => `item-${first + i}`);
const selected = (state: ListSelection) => [...state.selected].sort();

describe('the evidence list’s selection', () => {
  it('an arrow key moves the active row and selects it alone', () => {
    const state = moveTo(EMPTY_SELECTION, 3, 'item-3', PLAIN, ids);
    expect(state).toMatchObject({ active: 3, anchor: 3 });
    expect(selected(state)).toEqual(['item-3']);
  });

  it('Shift extends the selection from the anchor, either way', () => {
    const start = moveTo(EMPTY_SELECTION, 4, 'item-4', PLAIN, ids);
    const down = moveTo(start, 6, 'item-6', { extend: true, keep: false }, ids);
    expect(selected(down)).toEqual(['item-4', 'item-5', 'item-6']);
    const up = moveTo(down, 2, 'item-2', { extend: true, keep: false }, ids);
    expect(selected(up)).toEqual(['item-2', 'item-3', 'item-4']);
    expect(up).toMatchObject({ active: 2, anchor: 4 });
  });

  it('Ctrl moves the active row without changing the selection; Space then adds it', () => {
    const start = moveTo(EMPTY_SELECTION, 1, 'item-1', PLAIN, ids);
    const moved = moveTo(start, 5, 'item-5', { extend: false, keep: true }, ids);
    expect(moved.active).toBe(5);
    expect(selected(moved)).toEqual(['item-1']);
    expect(selected(toggleRow(moved, 5, 'item-5'))).toEqual(['item-1', 'item-5']);
    expect(selected(toggleRow(toggleRow(moved, 5, 'item-5'), 5, 'item-5'))).toEqual(['item-1']);
  });

  it('a click selects the row alone, Ctrl+click toggles it, Shift+click selects the range', () => {
    const one = clickRow(EMPTY_SELECTION, 2, 'item-2', PLAIN, ids);
    expect(selected(one)).toEqual(['item-2']);
    const two = clickRow(one, 7, 'item-7', { extend: false, keep: true }, ids);
    expect(selected(two)).toEqual(['item-2', 'item-7']);
    const range = clickRow(two, 9, 'item-9', { extend: true, keep: false }, ids);
    expect(selected(range)).toEqual(['item-7', 'item-8', 'item-9']);
  });

  it('a Shift-extension over rows not loaded yet moves the active row and leaves the range to be completed', () => {
    const start = moveTo(EMPTY_SELECTION, 0, 'item-0', PLAIN, ids);
    const far = moveTo(start, 99_999, undefined, { extend: true, keep: false }, () => null);
    expect(far.active).toBe(99_999);
    expect(selected(far)).toEqual(['item-0']);
  });
});
