import { memo, type ReactNode, useCallback } from 'react';
import type { ItemRow, ItemSortField } from '../../../shared/api.js';
import type { ItemPages } from '../hooks/use-item-pages.js';
import { formatCompactTime, formatTime, type MessageKey, t, utcOffsetLabel } from '../i18n/i18n.js';
import { Icon } from './icons.js';
import { SnippetText } from './snippet-text.js';
import { BidiText, UrlText } from './text.js';
import { Thumbnail } from './thumbnail.js';
import { VirtualList } from './virtual-list.js';

/** Row height of the evidence list, in pixels (matches --row-height). */
export const EVIDENCE_ROW_HEIGHT = 40;

const GRID = '22px 56px minmax(160px, 2.2fr) minmax(140px, 2fr) 150px 70px minmax(70px, 1fr) 96px 92px';

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
  readonly selected: ReadonlySet<string>;
  readonly onToggle: (id: string) => void;
  readonly activeIndex: number;
  readonly onActiveIndexChange: (index: number) => void;
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
 * and timestamp status, windowed so that 100,000 items scroll smoothly.
 */
export function EvidenceTable(props: EvidenceTableProps) {
  const { pages, sort, onSort, selected, onToggle, activeIndex, onOpen } = props;
  const total = pages.total ?? 0;

  const header = (field: ItemSortField | null, label: ReactNode) => {
    if (!field) return <span>{label}</span>;
    const active = sort.field === field;
    return (
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
    );
  };

  const { rowAt } = pages;
  const { onActiveIndexChange } = props;
  const renderRow = useCallback(
    (index: number) => {
      const row = rowAt(index);
      if (!row) return <PlaceholderRow key={`p${index}`} />;
      return (
        <EvidenceRow
          key={row.id}
          row={row}
          index={index}
          active={index === activeIndex}
          selected={selected.has(row.id)}
          onActivate={onActiveIndexChange}
          onOpen={onOpen}
          onToggle={onToggle}
        />
      );
    },
    [rowAt, selected, activeIndex, onToggle, onOpen, onActiveIndexChange],
  );

  return (
    <>
      <div className="table-head" style={{ gridTemplateColumns: GRID }}>
        <span />
        <span />
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
        activeIndex={activeIndex}
        onActiveIndexChange={props.onActiveIndexChange}
        onActivate={(index) => {
          const row = pages.rowAt(index);
          if (row) onOpen(row);
        }}
        onToggle={(index) => {
          const row = pages.rowAt(index);
          if (row) onToggle(row.id);
        }}
        label={t('evidence.listLabel')}
        scrollResetKey={props.listKey}
      />
    </>
  );
}

const ROW_STYLE = { gridTemplateColumns: GRID, height: EVIDENCE_ROW_HEIGHT };

/** A row whose block is still on its way. */
const PlaceholderRow = memo(function PlaceholderRow() {
  return (
    <div className="table-row placeholder" style={ROW_STYLE}>
      <span />
      <span className="thumb" />
      <span className="skeleton" />
      <span className="skeleton" />
      <span className="skeleton" />
    </div>
  );
});

/**
 * One item of the list. Memoised: while scrolling, only the rows that come into view render;
 * those already on screen keep their DOM untouched.
 */
const EvidenceRow = memo(function EvidenceRow({
  row,
  index,
  active,
  selected,
  onActivate,
  onOpen,
  onToggle,
}: Readonly<{
  row: ItemRow;
  index: number;
  active: boolean;
  selected: boolean;
  onActivate: (index: number) => void;
  onOpen: (row: ItemRow) => void;
  onToggle: (id: string) => void;
}>) {
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: the list itself takes the keys (arrows, Enter, Space)
    // biome-ignore lint/a11y/useKeyWithClickEvents: the list itself takes the keys (arrows, Enter, Space)
    <div
      className="table-row"
      data-active={active}
      data-item-id={row.id}
      style={ROW_STYLE}
      onClick={() => onActivate(index)}
      onDoubleClick={() => onOpen(row)}
    >
      <span className="cell">
        <input
          type="checkbox"
          checked={selected}
          tabIndex={-1}
          aria-label={t('evidence.select', { title: row.title ?? row.source })}
          onChange={() => onToggle(row.id)}
        />
      </span>
      <span>
        <Thumbnail itemId={row.id} hasImage={row.hasImage} kind={row.kind} />
      </span>
      <span className="cell">
        <BidiText text={row.title ?? row.source} />
      </span>
      <span className="cell muted">
        {row.snippet ? (
          <SnippetText snippet={row.snippet} lead={10} trail={12} className="snippet-line" />
        ) : row.url ? (
          <UrlText url={row.url} />
        ) : (
          <BidiText text={row.source} className="faint" />
        )}
      </span>
      <span className="cell mono" title={formatTime(row.capturedAt)}>
        {formatCompactTime(row.capturedAt)}
      </span>
      <span className="cell">
        <span className={`badge ${row.kind === 'capture' ? 'accent' : ''}`}>{t(KIND_LABEL[row.kind])}</span>
      </span>
      <span className="cell">
        {row.tags.map((tag) => (
          <span key={tag} className="tag" dir="auto">
            {tag}
          </span>
        ))}
      </span>
      <span className="cell hash" title={row.digest}>
        {row.digest.slice(0, 10)}
      </span>
      <span className="cell">
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
