import { useCallback, useMemo, useState } from 'react';
import { actionLabel, entrySummary } from '../components/custody.js';
import { VirtualList } from '../components/virtual-list.js';
import { useLoad } from '../hooks/use-load.js';
import { formatCompactTime, formatTime, t, utcOffsetLabel } from '../i18n/i18n.js';
import { call } from '../platform/custos.js';
import { useOpenCase } from '../state/app-state.js';

const GRID = '64px 150px 150px minmax(160px, 1fr) 200px 130px';
const ROW = 34;

/** The case's custody log: every entry in order, with who, what, when and its chained hash. */
export function CustodyScreen() {
  const openCase = useOpenCase();
  const ledger = useLoad(() => call('getLedger', { caseRef: openCase.id }), [openCase.id]);
  const [active, setActive] = useState(0);
  const [filter, setFilter] = useState('');
  const entries = useMemo(() => {
    const all = ledger.value ?? [];
    const f = filter.trim().toLowerCase();
    if (f === '') return all;
    return all.filter((e) =>
      `${e.action} ${actionLabel(e.action)} ${entrySummary(e)} ${e.subject}`.toLowerCase().includes(f),
    );
  }, [ledger.value, filter]);

  const renderRow = useCallback(
    (index: number) => {
      const entry = entries[index];
      if (!entry) return null;
      return (
        // biome-ignore lint/a11y/noStaticElementInteractions: the list itself takes the keys
        // biome-ignore lint/a11y/useKeyWithClickEvents: the list itself takes the keys
        <div
          key={entry.seq}
          className="table-row"
          data-active={index === active}
          style={{ gridTemplateColumns: GRID, height: ROW }}
          onClick={() => setActive(index)}
        >
          <span className="cell seq">#{entry.seq}</span>
          <span className="cell mono" title={`${formatTime(entry.time)} (${entry.timeZone})`}>
            {formatCompactTime(entry.time)}
          </span>
          <span className="cell">{actionLabel(entry.action)}</span>
          <span className="cell bidi" dir="auto">
            {entrySummary(entry)}
          </span>
          <span className="cell hash faint" title={entry.subject}>
            {entry.subject}
          </span>
          <span className="cell hash" title={entry.hash}>
            {entry.hash.slice(0, 14)}
          </span>
        </div>
      );
    },
    [entries, active],
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
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        <span className="muted">{t('custody.count', { count: entries.length })}</span>
      </div>
      <div className="screen-body flush">
        {ledger.error && <div className="error-box">{ledger.error.message}</div>}
        <div className="table-head" style={{ gridTemplateColumns: GRID }}>
          <span>{t('custody.col.seq')}</span>
          <span>{t('custody.col.time', { zone: utcOffsetLabel() })}</span>
          <span>{t('custody.col.action')}</span>
          <span>{t('custody.col.detail')}</span>
          <span>{t('custody.col.subject')}</span>
          <span>{t('custody.col.hash')}</span>
        </div>
        <VirtualList
          count={entries.length}
          rowHeight={ROW}
          renderRow={renderRow}
          activeIndex={active}
          onActiveIndexChange={setActive}
          label={t('custody.title')}
        />
      </div>
    </>
  );
}
