// biome-ignore-all lint/a11y/useSemanticElements: a windowed list cannot be a <table> (its rows are placed one by one); the ARIA grid roles say what it is
// biome-ignore-all lint/a11y/useFocusableInteractive: the grid's one tab stop is its active row (roving focus); its cells are reached through their row
import { memo, type ReactNode, useCallback } from 'react';
import type { ItemRow, ItemSortField } from '../../../shared/api.js';
import type { ItemPages } from '../hooks/use-item-pages.js';
import { formatCompactTime, formatTime, type MessageKey, t, utcOffsetLabel } from '../i18n/i18n.js';
import type { Gesture, ListSelection } from '../state/list-selection.js';
import { Icon } from './icons.js';
import { SnippetText } from './snippet-text.js';
import { BidiText, ShortUrl, UntrustedText, withInvisiblesShown } from './text.js';
import { Thumbnail } from './thumbnail.js';
import { type RowProps, VirtualList } from './virtual-list.js';

/** Row height of the evidence list, in pixels (matches --row-height). */
export const EVIDENCE_ROW_HEIGHT = 40;

// Sized so that every column, the digest and timestamp included, fits the main column of a
// 1024-pixel window; title, address and tags share what is left.
const GRID = '16px 44px minmax(100px, 2fr) minmax(120px, 2.4fr) 140px 62px minmax(40px, 0.8fr) 78px 78px';

/** The list's sort order. */
export interface SortOrder {
  readonly field: ItemSortField;
  readonly descending: boolean;
}

/** What the evidence table shows and reports. */
export interface EvidenceTableProps {
  readonly pages: ItemPages;
  readonly sort: SortOrder;
  readonly onSort: (sort: SortOrder) => void;
  /** The active row (where the keyboard is) and the selected rows. */
  readonly selection: ListSelection;
  /** The keyboard moved the active row (with Shift or Ctrl held, or not). */
  readonly onMove: (index: number, gesture: Gesture) => void;
  /** A row was clicked (with Shift or Ctrl held, or not). */
  readonly onClickRow: (index: number, row: ItemRow, gesture: Gesture) => void;
  /** Space on a row, or its checkbox: it joins or leaves the selection. */
  readonly onToggle: (index: number, id: string) => void;
  readonly onOpen: (row: ItemRow) => void;
  /** The list is searched: the address column shows where each item matched. */
  readonly searching?: boolean;
  /** Names the sort, filter and search shown: when it changes, the list goes back to its top. */
  readonly listKey?: string;
}

const KIND_LABEL: Record<ItemRow['kind'], MessageKey> = {
  capture: 'kind.capture',
  import: 'kind.import',
  received: 'kind.received',
};

/**
 * The evidence list of a case: thumbnail, title, address, capture time, kind, tags, digest prefix
 * and timestamp status, windowed so that 100,000 items scroll smoothly. An ARIA grid: the active
 * row is its one tab stop, arrows move it (Shift extends the selection, Ctrl moves without
 * selecting), Space toggles, Enter or a double click opens, a click selects.
 */
export function EvidenceTable(props: EvidenceTableProps) {
  const { pages, sort, onSort, selection, onToggle, onOpen, onClickRow } = props;
  const total = pages.total ?? 0;

  const header = (field: ItemSortField | null, label: ReactNode) => {
    if (!field) return <span role="columnheader">{label}</span>;
    const active = sort.field === field;
    return (
      <span
        role="columnheader"
        aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : undefined}
      >
        <button
          type="button"
          title={
            active
              ? sort.descending
                ? t('evidence.sortedDescending')
                : t('evidence.sortedAscending')
              : undefined
          }
          onClick={() => onSort({ field, descending: active ? !sort.descending : false })}
        >
          {label}
          {active && <Icon name={sort.descending ? 'sortDown' : 'sortUp'} size={12} />}
        </button>
      </span>
    );
  };

  const { rowAt } = pages;
  const { active, selected } = selection;
  const renderRow = useCallback(
    (index: number, rowProps: RowProps) => {
      const row = rowAt(index);
      // The row's props go in one by one: a memoised row is compared prop by prop, and a new
      // object each scroll step would render every row again.
      if (!row) return <PlaceholderRow key={`p${index}`} {...rowProps} />;
      return (
        <EvidenceRow
          key={row.id}
          {...rowProps}
          row={row}
          index={index}
          active={index === active}
          selected={selected.has(row.id)}
          onClick={onClickRow}
          onOpen={onOpen}
          onToggle={onToggle}
        />
      );
    },
    [rowAt, selected, active, onToggle, onOpen, onClickRow],
  );

  return (
    <div
      className="grid"
      role="grid"
      aria-label={t('evidence.listLabel')}
      aria-multiselectable="true"
      aria-rowcount={total + 1}
    >
      <div className="table-head" role="row" aria-rowindex={1} style={{ gridTemplateColumns: GRID }}>
        <span role="columnheader" aria-label={t('evidence.col.selected')} />
        <span role="columnheader" aria-label={t('evidence.col.picture')} />
        {header('title', t('evidence.col.title'))}
        {header('source', props.searching ? t('evidence.col.match') : t('evidence.col.url'))}
        {header('capturedAt', t('evidence.col.captured', { zone: utcOffsetLabel() }))}
        {header('kind', t('evidence.col.kind'))}
        {header(null, t('evidence.col.tags'))}
        {header(null, t('evidence.col.digest'))}
        {header(null, t('evidence.col.timestamp'))}
      </div>
      <VirtualList
        count={total}
        rowHeight={EVIDENCE_ROW_HEIGHT}
        renderRow={renderRow}
        onRangeChange={pages.ensureRange}
        activeIndex={active}
        onActiveIndexChange={props.onMove}
        onActivate={(index) => {
          const row = pages.rowAt(index);
          if (row) onOpen(row);
        }}
        onToggle={(index) => {
          const row = pages.rowAt(index);
          if (row) onToggle(index, row.id);
        }}
        label={t('evidence.listLabel')}
        scrollResetKey={props.listKey}
        rovingFocus
        rowIndexOffset={1}
        autoFocusTarget={total > 0}
      />
    </div>
  );
}

const ROW_STYLE = { gridTemplateColumns: GRID, height: EVIDENCE_ROW_HEIGHT };

/** A row whose block is still on its way. */
const PlaceholderRow = memo(function PlaceholderRow(rowProps: RowProps) {
  return (
    <div className="table-row placeholder" style={ROW_STYLE} aria-busy="true" {...rowProps}>
      <span role="gridcell" />
      <span role="gridcell" className="thumb" />
      <span role="gridcell" className="skeleton" />
      <span role="gridcell" className="skeleton" />
      <span role="gridcell" className="skeleton" />
    </div>
  );
});

/** The modifier keys of a pointer or key event, as a selection gesture. */
function gestureOf(event: Readonly<{ shiftKey: boolean; ctrlKey: boolean; metaKey: boolean }>): Gesture {
  return { extend: event.shiftKey, keep: event.ctrlKey || event.metaKey };
}

/**
 * One item of the list. Memoised: while scrolling, only the rows that come into view render;
 * those already on screen keep their DOM untouched.
 */
const EvidenceRow = memo(function EvidenceRow({
  row,
  index,
  active,
  selected,
  onClick,
  onOpen,
  onToggle,
  ...rowProps
}: Readonly<
  RowProps & {
    row: ItemRow;
    index: number;
    active: boolean;
    selected: boolean;
    onClick: (index: number, row: ItemRow, gesture: Gesture) => void;
    onOpen: (row: ItemRow) => void;
    onToggle: (index: number, id: string) => void;
  }
>) {
  return (
    // The grid takes the keys (arrows, Enter, Space) for its rows; Ctrl+C copies the row's address.
    <div
      {...rowProps}
      role="row"
      tabIndex={rowProps.tabIndex}
      className="table-row"
      data-active={active}
      data-item-id={row.id}
      aria-selected={selected}
      style={ROW_STYLE}
      onMouseDown={(event) => {
        // Shift+click extends the selection; it must not select the rows' text as well.
        if (event.shiftKey) event.preventDefault();
      }}
      onClick={(event) => onClick(index, row, gestureOf(event))}
      onDoubleClick={() => onOpen(row)}
      onKeyDown={(event) => {
        if ((event.ctrlKey || event.metaKey) && event.key === 'c' && event.target === event.currentTarget) {
          event.preventDefault();
          void navigator.clipboard?.writeText(row.url ?? row.source);
        }
      }}
    >
      <span role="gridcell" className="cell">
        <input
          type="checkbox"
          checked={selected}
          tabIndex={-1}
          aria-label={t('evidence.select', { title: withInvisiblesShown(row.title ?? row.source) })}
          onClick={(event) => event.stopPropagation()}
          onChange={() => onToggle(index, row.id)}
        />
      </span>
      <span role="gridcell">
        <Thumbnail itemId={row.id} hasImage={row.hasImage} kind={row.kind} />
      </span>
      <span role="gridcell" className="cell">
        <BidiText text={row.title ?? row.source} title={row.title ?? row.source} />
      </span>
      <span role="gridcell" className="cell muted">
        {row.snippet ? (
          <SnippetText snippet={row.snippet} lead={10} trail={12} className="snippet-line" />
        ) : row.url ? (
          <ShortUrl url={row.url} />
        ) : (
          <BidiText text={row.source} className="faint" title={row.source} />
        )}
      </span>
      <span role="gridcell" className="cell mono" title={formatTime(row.capturedAt)}>
        {formatCompactTime(row.capturedAt)}
      </span>
      <span role="gridcell" className="cell">
        <span className={`badge ${row.kind === 'capture' ? 'accent' : ''}`}>{t(KIND_LABEL[row.kind])}</span>
      </span>
      <span role="gridcell" className="cell" title={withInvisiblesShown(row.tags.join(', ')) || undefined}>
        {row.tags.map((tag) => (
          <span key={tag} className="tag" dir="auto">
            <UntrustedText text={tag} />
          </span>
        ))}
      </span>
      <span role="gridcell" className="cell hash" title={row.digest}>
        {row.digest.slice(0, 10)}
      </span>
      <span role="gridcell" className="cell">
        <TimestampBadge status={row.timestamp} />
      </span>
    </div>
  );
});

/** Whether an authority has vouched for the item's digest yet. */
export function TimestampBadge({ status }: Readonly<{ status: ItemRow['timestamp'] }>) {
  if (status === 'granted')
    return (
      <span className="badge good">
        <Icon name="clock" size={12} />
        {t('timestamp.granted')}
      </span>
    );
  if (status === 'pending') return <span className="badge warn">{t('timestamp.pending')}</span>;
  return <span className="badge">{t('timestamp.none')}</span>;
}
