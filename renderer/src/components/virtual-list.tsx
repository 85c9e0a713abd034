import {
  type KeyboardEvent,
  type ReactNode,
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
} from 'react';
import type { Gesture } from '../state/list-selection.js';

/**
 * What a row of a list with roving focus carries (spread on the row's element): its ARIA row
 * role and place, and a tab stop on the active row only.
 */
export interface RowProps {
  readonly role: 'row';
  readonly tabIndex: 0 | -1;
  readonly 'aria-rowindex': number;
  readonly 'data-row-index': number;
}

/** What the list needs to know and what it tells. */
export interface VirtualListProps {
  readonly count: number;
  /** Every row has this height in pixels (fixed, so any row's place is known without measuring). */
  readonly rowHeight: number;
  /** Rows rendered beyond each edge of the viewport, so fast scrolling shows no gaps. */
  readonly overscan?: number;
  /** One row; with `rovingFocus`, its element takes `row`'s props. */
  readonly renderRow: (index: number, row: RowProps) => ReactNode;
  /** The rows now rendered (first inclusive, last exclusive): the caller loads their data. */
  readonly onRangeChange?: (first: number, last: number) => void;
  /** The row the keyboard is on. */
  readonly activeIndex: number;
  /** The keyboard moved the active row, with Shift (extend) or Ctrl/Cmd (keep) held. */
  readonly onActiveIndexChange: (index: number, gesture: Gesture) => void;
  /** Enter on the active row. */
  readonly onActivate?: (index: number) => void;
  /** Space on the active row. */
  readonly onToggle?: (index: number) => void;
  readonly label: string;
  readonly className?: string;
  /** When this changes (another sort, filter or search), the list goes back to its top. */
  readonly scrollResetKey?: string;
  /**
   * The rows take the focus (the active one is the list's single tab stop, as in an ARIA grid),
   * instead of the list as a whole; the active row stays in the DOM while scrolled away, so the
   * focus is never lost to the page.
   */
  readonly rovingFocus?: boolean;
  /** Rows before the first one in the enclosing grid (its header row): offsets `aria-rowindex`. */
  readonly rowIndexOffset?: number;
  /** The list is the screen's first action: it takes the focus when the screen opens (`useArrivalFocus`). */
  readonly autoFocusTarget?: boolean;
}

/**
 * A windowed list: only the rows in view (plus a margin) exist in the DOM, placed in a spacer as
 * tall as every row together, so 100,000 rows scroll as smoothly as 100. Arrow keys, Page Up/Down,
 * Home and End move the active row and keep it in view.
 */
export function VirtualList(props: VirtualListProps) {
  const { count, rowHeight, overscan = 8, onRangeChange, onActiveIndexChange, rovingFocus = false } = props;
  const activeIndex = Math.max(0, Math.min(props.activeIndex, count - 1));
  const container = useRef<HTMLElement>(null);
  // The first row in view, not the pixel offset: scrolling within a row renders nothing.
  const [topRow, setTopRow] = useState(0);
  const [viewport, setViewport] = useState(600);
  /** The keyboard moved inside the list: the active row takes the focus once it is rendered. */
  const followFocus = useRef(false);

  useLayoutEffect(() => {
    const element = container.current;
    if (!element) return;
    setViewport(element.clientHeight);
    const observer = new ResizeObserver(() => setViewport(element.clientHeight));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const resetKey = useRef(props.scrollResetKey);
  useLayoutEffect(() => {
    if (resetKey.current === props.scrollResetKey) return;
    resetKey.current = props.scrollResetKey;
    if (container.current) container.current.scrollTop = 0;
    setTopRow(0);
  }, [props.scrollResetKey]);

  const first = Math.max(0, topRow - overscan);
  const last = Math.min(count, topRow + Math.ceil(viewport / rowHeight) + 1 + overscan);

  useEffect(() => {
    onRangeChange?.(first, last);
  }, [first, last, onRangeChange]);

  const activeRow = useCallback(
    () => container.current?.querySelector<HTMLElement>(`[data-row-index="${activeIndex}"]`) ?? null,
    [activeIndex],
  );
  // Roving focus: after a move by key, the focus follows the active row (never taken from elsewhere).
  useLayoutEffect(() => {
    if (!rovingFocus || !followFocus.current) return;
    followFocus.current = false;
    if (container.current?.contains(document.activeElement)) activeRow()?.focus({ preventScroll: true });
  });

  const scrollIntoView = useCallback(
    (index: number) => {
      const element = container.current;
      if (!element) return;
      const top = index * rowHeight;
      if (top < element.scrollTop) element.scrollTop = top;
      else if (top + rowHeight > element.scrollTop + element.clientHeight) {
        element.scrollTop = top + rowHeight - element.clientHeight;
      }
    },
    [rowHeight],
  );

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    // Space and Enter on a control inside a row (its checkbox) are the control's.
    const inControl =
      event.target !== event.currentTarget &&
      (event.target as HTMLElement).closest('input, button, select, textarea, a') !== null;
    if (count === 0 || (inControl && (event.key === ' ' || event.key === 'Enter'))) return;
    const page = Math.max(1, Math.floor(viewport / rowHeight) - 1);
    const moves: Record<string, number> = {
      ArrowDown: activeIndex + 1,
      ArrowUp: activeIndex - 1,
      PageDown: activeIndex + page,
      PageUp: activeIndex - page,
      Home: 0,
      End: count - 1,
    };
    const target = moves[event.key];
    if (target !== undefined) {
      event.preventDefault();
      const next = Math.max(0, Math.min(count - 1, target));
      followFocus.current = true;
      onActiveIndexChange(next, { extend: event.shiftKey, keep: event.ctrlKey || event.metaKey });
      scrollIntoView(next);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      props.onActivate?.(activeIndex);
    } else if (event.key === ' ') {
      event.preventDefault();
      props.onToggle?.(activeIndex);
    }
  };

  const rowProps = (index: number): RowProps => ({
    role: 'row',
    tabIndex: index === activeIndex ? 0 : -1,
    'aria-rowindex': index + 1 + (props.rowIndexOffset ?? 0),
    'data-row-index': index,
  });
  const indexes: number[] = [];
  for (let index = first; index < last; index++) indexes.push(index);
  // The active row scrolled out of the window stays in the DOM at its place, holding the focus
  // (each row is placed on its own, keyed by its index, so it is never re-created as the window moves).
  if (rovingFocus && count > 0 && activeIndex < first) indexes.unshift(activeIndex);
  if (rovingFocus && count > 0 && activeIndex >= last) indexes.push(activeIndex);

  return (
    <section
      ref={container}
      className={['vlist', props.className].filter(Boolean).join(' ')}
      aria-label={props.label}
      data-count={count}
      data-autofocus={props.autoFocusTarget || undefined}
      role={rovingFocus ? 'rowgroup' : undefined}
      // The list is one tab stop: itself, or with roving focus its active row.
      tabIndex={rovingFocus && count > 0 ? -1 : 0}
      onFocus={(event) => {
        // Focus given to the list itself (a click between rows, a test, a screen reader) goes to its active row.
        if (!rovingFocus || event.target !== event.currentTarget || count === 0) return;
        scrollIntoView(activeIndex);
        activeRow()?.focus({ preventScroll: true });
      }}
      onScroll={(event) => setTopRow(Math.floor(event.currentTarget.scrollTop / rowHeight))}
      onKeyDown={onKeyDown}
    >
      <div className="vlist-spacer" style={{ height: count * rowHeight }}>
        {indexes.map((index) => (
          <div key={index} className="vlist-row" style={{ top: index * rowHeight }}>
            {props.renderRow(index, rowProps(index))}
          </div>
        ))}
      </div>
    </section>
  );
}
