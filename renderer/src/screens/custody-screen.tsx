import { useCallback, useEffect, useState } from 'react';
import type { LedgerRow } from '../../../shared/api.js';
import { actionLabel, actionsLabelled, entrySummary } from '../components/custody.js';
import { UntrustedText, withInvisiblesShown } from '../components/text.js';
import { VirtualList } from '../components/virtual-list.js';
import { usePages } from '../hooks/use-pages.js';
import { formatCompactTime, formatTime, t, utcOffsetLabel } from '../i18n/i18n.js';
import { call } from '../platform/custos.js';
import { useAppState, useOpenCase } from '../state/app-state.js';

// Fits the main column of a 1024-pixel window: the hash column stays on screen.
const GRID = '56px 140px minmax(110px, 150px) minmax(140px, 1fr) minmax(120px, 200px) 110px';
const ROW = 34;

/**
 * The case's custody log, oldest or newest first, filtered by the service: entries are fetched a
 * page at a time as they scroll into view, so a case with 100,000 entries opens at once.
 */
export function CustodyScreen() {
  const openCase = useOpenCase();
  const { navigate } = useAppState();
  const [active, setActive] = useState(0);
  const [filterText, setFilterText] = useState('');
  const [filter, setFilter] = useState('');
  const [newestFirst, setNewestFirst] = useState(false);

  // The filter asks again only once the typing pauses.
  useEffect(() => {
    const timer = setTimeout(() => {
      setFilter(filterText.trim());
      setActive(0);
    }, 180);
    return () => clearTimeout(timer);
  }, [filterText]);

  const query = {
    caseRef: openCase.id,
    descending: newestFirst,
    search: filter,
    // The actions whose words (as shown here) contain the filter: "note added" finds item.note.
    actions: filter === '' ? [] : actionsLabelled(filter),
  };
  const queryKey = JSON.stringify(query);
  const pages = usePages<LedgerRow>(queryKey, async (offset, limit, signal) =>
    call('queryLedger', { ...query, offset, limit }, { signal }),
  );

  const { rowAt } = pages;
  /** Opens the item an entry is about (Enter on the row, or a double click). */
  const openEntry = useCallback(
    (index: number) => {
      const itemId = rowAt(index)?.itemId;
      if (itemId) navigate({ screen: 'item', itemId });
    },
    [rowAt, navigate],
  );
  const renderRow = useCallback(
    (index: number) => {
      const entry = rowAt(index);
      if (!entry)
        return (
          <div
            key={`p${index}`}
            className="table-row placeholder"
            style={{ gridTemplateColumns: GRID, height: ROW }}
          >
            <span className="skeleton" />
            <span className="skeleton" />
            <span className="skeleton" />
          </div>
        );
      return (
        // biome-ignore lint/a11y/noStaticElementInteractions: the list itself takes the keys
        // biome-ignore lint/a11y/useKeyWithClickEvents: the list itself takes the keys
        <div
          key={entry.seq}
          className="table-row"
          data-active={index === active}
          data-seq={entry.seq}
          data-opens={entry.itemId ?? undefined}
          style={{ gridTemplateColumns: GRID, height: ROW }}
          title={entry.itemId ? t('custody.openHint') : undefined}
          onClick={() => setActive(index)}
          onDoubleClick={() => openEntry(index)}
        >
          <span className="cell seq">#{entry.seq}</span>
          <span className="cell mono" title={`${formatTime(entry.time)} (${entry.timeZone})`}>
            {formatCompactTime(entry.time)}
          </span>
          <span className="cell">{actionLabel(entry.action)}</span>
          <span className="cell bidi" dir="auto">
            <UntrustedText text={entrySummary(entry)} />
          </span>
          <span
            className={entry.subjectLabel ? 'cell bidi' : 'cell hash faint'}
            dir="auto"
            title={withInvisiblesShown(entry.subject)}
          >
            <UntrustedText text={entry.subjectLabel ?? entry.subject} />
          </span>
          <span className="cell hash" title={entry.hash}>
            {entry.hash.slice(0, 14)}
          </span>
        </div>
      );
    },
    [rowAt, active, openEntry],
  );

  return (
    <>
      <div className="screen-head">
        <div>
          <h1>{t('custody.title')}</h1>
          <div className="sub">{t('custody.subtitle')}</div>
        </div>
        <span className="spacer" />
        <input
          className="input"
          style={{ width: 260 }}
          placeholder={t('custody.filter')}
          aria-label={t('custody.filter')}
          value={filterText}
          onChange={(e) => setFilterText(e.target.value)}
        />
        <select
          className="select"
          aria-label={t('custody.order')}
          value={newestFirst ? 'newest' : 'oldest'}
          onChange={(e) => {
            setNewestFirst(e.target.value === 'newest');
            setActive(0);
          }}
        >
          <option value="oldest">{t('custody.oldestFirst')}</option>
          <option value="newest">{t('custody.newestFirst')}</option>
        </select>
        <span className="muted" data-testid="custody-count">
          {pages.total === null ? '' : t('custody.count', { count: pages.total })}
        </span>
      </div>
      <div className="screen-body flush">
        {pages.error && <div className="error-box">{pages.error}</div>}
        <div className="table-head" style={{ gridTemplateColumns: GRID }}>
          <span>{t('custody.col.seq')}</span>
          <span>{t('custody.col.time', { zone: utcOffsetLabel() })}</span>
          <span>{t('custody.col.action')}</span>
          <span>{t('custody.col.detail')}</span>
          <span>{t('custody.col.subject')}</span>
          <span>{t('custody.col.hash')}</span>
        </div>
        {/* A new order or filter is a new list: it starts at its top. */}
        <VirtualList
          key={queryKey}
          count={pages.total ?? 0}
          rowHeight={ROW}
          renderRow={renderRow}
          onRangeChange={pages.ensureRange}
          activeIndex={active}
          onActiveIndexChange={setActive}
          onActivate={openEntry}
          label={t('custody.title')}
        />
      </div>
    </>
  );
}
