// @vitest-environment happy-dom
import { act, useState } from 'react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RowProps, VirtualList } from '../../renderer/src/components/virtual-list.js';
import { PLAIN } from '../../renderer/src/state/list-selection.js';
import { type Mounted, render } from './support/render.js';

const VIEWPORT = 400;
const ROW = 40;

beforeAll(() => {
  // happy-dom does no layout: give every element the list's viewport height.
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => VIEWPORT });
});

let mounted: Mounted | undefined;
afterEach(() => mounted?.unmount());

function list(props: Partial<Parameters<typeof VirtualList>[0]> = {}) {
  return (
    <VirtualList
      count={100_000}
      rowHeight={ROW}
      renderRow={(index) => (
        <div key={index} className="row" data-index={index}>
          row {index}
        </div>
      )}
      activeIndex={0}
      onActiveIndexChange={() => undefined}
      label="items"
      {...props}
    />
  );
}

const renderedIndexes = (container: HTMLElement) =>
  [...container.querySelectorAll<HTMLElement>('.row')].map((row) => Number(row.dataset.index));

const rovingRow = (index: number, props: RowProps) => (
  <div key={index} className="row" data-index={index} {...props}>
    row {index}
  </div>
);

/** A list with roving focus that keeps its own active row, as the evidence screen does. */
function Roving() {
  const [active, setActive] = useState(2);
  return list({
    activeIndex: active,
    onActiveIndexChange: setActive,
    renderRow: rovingRow,
    rovingFocus: true,
  });
}

describe('VirtualList', () => {
  it('puts only the rows in view (plus a margin) in the DOM, in a spacer as tall as all rows', async () => {
    mounted = await render(list());
    const indexes = renderedIndexes(mounted.container);
    expect(indexes[0]).toBe(0);
    // The rows in view, one more for a partly shown row, and the margin below.
    expect(indexes.length).toBeLessThanOrEqual(VIEWPORT / ROW + 1 + 8);
    const spacer = mounted.container.querySelector<HTMLElement>('.vlist-spacer');
    expect(spacer?.style.height).toBe(`${100_000 * ROW}px`);
  });

  it('renders the rows at the scroll position, and tells which rows are shown', async () => {
    const onRangeChange = vi.fn();
    mounted = await render(list({ onRangeChange }));
    const scroller = mounted.container.querySelector<HTMLElement>('.vlist');
    if (!scroller) throw new Error('no list');
    await act(async () => {
      scroller.scrollTop = 50_000 * ROW;
      scroller.dispatchEvent(new Event('scroll'));
    });
    const indexes = renderedIndexes(mounted.container);
    expect(indexes).toContain(50_000);
    expect(indexes).toContain(50_000 + VIEWPORT / ROW - 1);
    expect(indexes.every((i) => i >= 50_000 - 8 && i < 50_000 + VIEWPORT / ROW + 1 + 8)).toBe(true);
    expect(onRangeChange).toHaveBeenLastCalledWith(50_000 - 8, 50_000 + VIEWPORT / ROW + 1 + 8);
  });

  it('moves the active row with the arrow keys, Page Down and End, and opens it with Enter', async () => {
    const onActiveIndexChange = vi.fn();
    const onActivate = vi.fn();
    const onToggle = vi.fn();
    mounted = await render(list({ activeIndex: 5, onActiveIndexChange, onActivate, onToggle }));
    const scroller = mounted.container.querySelector<HTMLElement>('.vlist');
    const press = (key: string) =>
      act(() => {
        scroller?.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
      });
    await press('ArrowDown');
    expect(onActiveIndexChange).toHaveBeenLastCalledWith(6, PLAIN);
    await press('ArrowUp');
    expect(onActiveIndexChange).toHaveBeenLastCalledWith(4, PLAIN);
    await press('PageDown');
    expect(onActiveIndexChange).toHaveBeenLastCalledWith(5 + VIEWPORT / ROW - 1, PLAIN);
    await press('End');
    expect(onActiveIndexChange).toHaveBeenLastCalledWith(99_999, PLAIN);
    expect(scroller?.scrollTop).toBe(100_000 * ROW - VIEWPORT);
    await press('Enter');
    expect(onActivate).toHaveBeenCalledWith(5);
    await press(' ');
    expect(onToggle).toHaveBeenCalledWith(5);
  });

  it('with roving focus, the active row is the one tab stop and takes the focus as the arrows move it', async () => {
    mounted = await render(<Roving />);
    const scroller = mounted.container.querySelector<HTMLElement>('.vlist');
    const stops = () =>
      [...(mounted?.container.querySelectorAll<HTMLElement>('[role="row"]') ?? [])]
        .filter((row) => row.tabIndex === 0)
        .map((row) => row.dataset.index);
    expect(scroller?.tabIndex).toBe(-1);
    expect(stops()).toEqual(['2']);
    // Focus given to the list goes to its active row.
    await act(async () => scroller?.focus());
    expect((document.activeElement as HTMLElement | null)?.dataset.index).toBe('2');
    await act(async () => {
      document.activeElement?.dispatchEvent(
        new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }),
      );
    });
    expect(stops()).toEqual(['3']);
    expect((document.activeElement as HTMLElement | null)?.dataset.index).toBe('3');
    expect(document.activeElement?.getAttribute('aria-rowindex')).toBe('4');
    // Scrolled far away, the active row stays in the DOM, holding the focus.
    await act(async () => {
      if (!scroller) return;
      scroller.scrollTop = 50_000 * ROW;
      scroller.dispatchEvent(new Event('scroll'));
    });
    expect(stops()).toEqual(['3']);
    expect((document.activeElement as HTMLElement | null)?.dataset.index).toBe('3');
  });
});
