// @vitest-environment happy-dom
import { act } from 'react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { VirtualList } from '../../renderer/src/components/virtual-list.js';
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
    expect(onActiveIndexChange).toHaveBeenLastCalledWith(6);
    await press('ArrowUp');
    expect(onActiveIndexChange).toHaveBeenLastCalledWith(4);
    await press('PageDown');
    expect(onActiveIndexChange).toHaveBeenLastCalledWith(5 + VIEWPORT / ROW - 1);
    await press('End');
    expect(onActiveIndexChange).toHaveBeenLastCalledWith(99_999);
    expect(scroller?.scrollTop).toBe(100_000 * ROW - VIEWPORT);
    await press('Enter');
    expect(onActivate).toHaveBeenCalledWith(5);
    await press(' ');
    expect(onToggle).toHaveBeenCalledWith(5);
  });
});
