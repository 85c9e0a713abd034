import {
  type KeyboardEvent,
  type ReactNode,
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
} from 'react';

/** What the list needs to know and what it tells. */
export interface VirtualListProps {
  readonly count: number;
  /** Every row has this height in pixels (fixed, so any row's place is known without measuring). */
  readonly rowHeight: number;
  /** Rows rendered beyond each edge of the viewport, so fast scrolling shows no gaps. */
  readonly overscan?: number;
  readonly renderRow: (index: number) => ReactNode;
  /** The rows now rendered (first inclusive, last exclusive): the caller loads their data. */
  readonly onRangeChange?: (first: number, last: number) => void;
  /** The row the keyboard is on. */
  readonly activeIndex: number;
  readonly onActiveIndexChange: (index: number) => void;
  /** Enter on the active row. */
  readonly onActivate?: (index: number) => void;
  /** Space on the active row. */
  readonly onToggle?: (index: number) => void;
  readonly label: string;
  readonly className?: string;
  /** When this changes (another sort, filter or search), the list goes back to its top. */
  readonly scrollResetKey?: string;
}

/**
 * A windowed list: only the rows in view (plus a margin) exist in the DOM, placed in a spacer as
 * tall as every row together, so 100,000 rows scroll as smoothly as 100. Arrow keys, Page Up/Down,
 * Home and End move the active row and keep it in view.
 */
export function VirtualList(props: VirtualListProps) {
  const { count, rowHeight, overscan = 8, onRangeChange, activeIndex, onActiveIndexChange } = props;
  const container = useRef<HTMLElement>(null);
  // The first row in view, not the pixel offset: scrolling within a row renders nothing.
  const [topRow, setTopRow] = useState(0);
  const [viewport, setViewport] = useState(600);

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

  const moveTo = useCallback(
    (index: number) => {
      const element = container.current;
      const next = Math.max(0, Math.min(count - 1, index));
      if (count === 0) return;
      onActiveIndexChange(next);
      if (!element) return;
      const top = next * rowHeight;
      if (top < element.scrollTop) element.scrollTop = top;
      else if (top + rowHeight > element.scrollTop + element.clientHeight) {
        element.scrollTop = top + rowHeight - element.clientHeight;
      }
    },
    [count, rowHeight, onActiveIndexChange],
  );

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
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
      moveTo(target);
    } else if (event.key === 'Enter' && activeIndex >= 0 && activeIndex < count) {
      event.preventDefault();
      props.onActivate?.(activeIndex);
    } else if (event.key === ' ' && activeIndex >= 0 && activeIndex < count) {
      event.preventDefault();
      props.onToggle?.(activeIndex);
    }
  };

  const rows: ReactNode[] = [];
  for (let index = first; index < last; index++) rows.push(props.renderRow(index));

  return (
    <section
      ref={container}
      className={['vlist', props.className].filter(Boolean).join(' ')}
      aria-label={props.label}
      data-count={count}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: the list is one tab stop; arrows move inside it
      tabIndex={0}
      onScroll={(event) => setTopRow(Math.floor(event.currentTarget.scrollTop / rowHeight))}
      onKeyDown={onKeyDown}
    >
      <div className="vlist-spacer" style={{ height: count * rowHeight }}>
        <div className="vlist-rows" style={{ transform: `translateY(${first * rowHeight}px)` }}>
          {rows}
        </div>
      </div>
    </section>
  );
}
