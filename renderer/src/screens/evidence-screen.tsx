import { type DragEvent, useCallback, useEffect, useRef, useState } from 'react';
import type { ItemRow } from '../../../shared/api.js';
import { EvidenceTable, type SortOrder } from '../components/evidence-table.js';
import { Icon } from '../components/icons.js';
import { useNotice } from '../components/notices.js';
import { ProgressBar } from '../components/progress-bar.js';
import { NoMatches, SearchRules } from '../components/search-help.js';
import { BidiText, CaseName, HashText, UntrustedText, withInvisiblesShown } from '../components/text.js';
import { useGridSelection } from '../hooks/use-grid-selection.js';
import { type ItemQuery, useItemPages } from '../hooks/use-item-pages.js';
import { useJob } from '../hooks/use-job.js';
import { useLoad } from '../hooks/use-load.js';
import { withNewEvidence } from '../hooks/use-selector-hits.js';
import { useTimestampRefresh } from '../hooks/use-timestamp-refresh.js';
import { t, windowSentence } from '../i18n/i18n.js';
import { call, pathForFile } from '../platform/custos.js';
import { useAppState, useOpenCase } from '../state/app-state.js';
import { rememberSelection } from '../state/case-selection.js';
import { EMPTY_SELECTION, type ListSelection } from '../state/list-selection.js';
import { BatchCaptureDialog } from './batch-capture-dialog.js';
import { CaptureBar } from './capture-bar.js';
import { TagItemsDialog } from './tag-items-dialog.js';

/** The list's view, kept per case while the app runs so that returning from an item finds it as it was. */
interface ListView {
  search: string;
  kind: ItemQuery['kind'];
  tag: string | null;
  sort: SortOrder;
  selection: ListSelection;
}
const views = new Map<string, ListView>();
const initialView = (): ListView => ({
  search: '',
  kind: null,
  tag: null,
  sort: { field: 'capturedAt', descending: false },
  selection: EMPTY_SELECTION,
});

/** The same selection, its active row and anchor back at the top of a new order or filter. */
function fromTop(selection: ListSelection): ListSelection {
  return { ...selection, active: 0, anchor: 0 };
}

/** The case's evidence: capture by address, import by drop, and the list. */
export function EvidenceScreen() {
  const openCase = useOpenCase();
  const { navigate } = useAppState();
  const notice = useNotice();
  const [view, setView] = useState<ListView>(() => views.get(openCase.id) ?? initialView());
  useEffect(() => {
    views.set(openCase.id, view);
  }, [openCase.id, view]);
  useEffect(
    () => rememberSelection(openCase.id, view.selection.selected),
    [openCase.id, view.selection.selected],
  );
  const update = useCallback((change: Partial<ListView>) => setView((v) => ({ ...v, ...change })), []);
  const [searchText, setSearchText] = useState(view.search);
  const [version, setVersion] = useState(0);
  const [batchOpen, setBatchOpen] = useState(false);
  const [tagging, setTagging] = useState(false);
  const [dragging, setDragging] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  const refresh = useCallback(() => setVersion((v) => v + 1), []);
  // New items show at once, and their timestamp badges again when the authorities have answered.
  const committed = useTimestampRefresh(refresh);

  // Typing in the search box asks again only once the typing pauses (and only when it changed
  // the search: opening the list must not move the investigator's row back to the top).
  useEffect(() => {
    if (searchText === view.search) return;
    const timer = setTimeout(
      () => setView((v) => ({ ...v, search: searchText, selection: fromTop(v.selection) })),
      180,
    );
    return () => clearTimeout(timer);
  }, [searchText, view.search]);

  const pages = useItemPages(
    {
      caseRef: openCase.id,
      search: view.search,
      kind: view.kind,
      tag: view.tag,
      sort: view.sort.field,
      descending: view.sort.descending,
    },
    version,
  );
  const tags = useLoad(() => call('listCaseTags', { caseRef: openCase.id }), [openCase.id, version]);

  const importJob = useJob(async (options, files: readonly File[]) => {
    const paths: string[] = [];
    for (const [index, file] of files.entries()) {
      options.onProgress?.({ done: index, total: files.length, subject: file.name, stage: 'reading' });
      paths.push(await pathForFile(file));
    }
    return withNewEvidence(call('importFiles', { caseRef: openCase.id, paths }, options));
  });

  const importFiles = async (files: readonly File[]) => {
    if (files.length === 0) return;
    const outcome = await importJob.start(files);
    if (!outcome) return;
    committed(outcome.items);
    notice({
      tone: outcome.failures.length > 0 ? 'bad' : 'good',
      title: t('import.done', { count: outcome.items.length }),
      body: (
        <>
          {outcome.items.slice(0, 3).map((item) => (
            <div key={item.id} className="ellipsis">
              <BidiText text={item.source} /> · <HashText hash={item.digest} />
            </div>
          ))}
          {outcome.failures.map((f) => (
            <div key={f.subject} className="error-box">
              <UntrustedText text={windowSentence(f.message)} />
            </div>
          ))}
          {outcome.cancelled && <div className="muted">{t('common.cancelledRest')}</div>}
        </>
      ),
    });
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    if (!importJob.running) void importFiles([...event.dataTransfer.files]);
  };

  // "/" jumps to the search box (unless already typing somewhere).
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const typing = event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement;
      if (event.key === '/' && !typing) {
        event.preventDefault();
        searchRef.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const select = useCallback(
    (change: (selection: ListSelection) => ListSelection) =>
      setView((v) => ({ ...v, selection: change(v.selection) })),
    [],
  );
  const { move, click, toggle } = useGridSelection(pages, view.selection, select);
  const open = useCallback((row: ItemRow) => navigate({ screen: 'item', itemId: row.id }), [navigate]);
  const selected = view.selection.selected;

  const importing = importJob.state.status === 'running' ? importJob.state.progress : null;
  return (
    <>
      <div className="screen-head">
        <div>
          <h1>{t('evidence.title')}</h1>
          <CaseName value={openCase} className="sub ellipsis" />
        </div>
        <span className="spacer" />
        <button type="button" className="btn" onClick={() => navigate({ screen: 'duplicates' })}>
          <Icon name="image" size={14} />
          {t('duplicates.open')}
        </button>
        <label className="btn">
          <Icon name="upload" size={14} />
          {t('import.choose')}
          <input
            type="file"
            multiple
            className="sr-only"
            onChange={(e) => {
              void importFiles([...(e.target.files ?? [])]);
              e.target.value = '';
            }}
          />
        </label>
        <button type="button" className="btn" onClick={() => setBatchOpen(true)}>
          <Icon name="batch" size={14} />
          {t('capture.batch')}
        </button>
      </div>
      <CaptureBar caseRef={openCase.id} onCaptured={committed} autoFocusTarget={pages.total === 0} />
      {importJob.running && (
        <div className="capture-status" role="status">
          <Icon name="upload" size={14} />
          <span>
            {t('import.progress', { done: (importing?.done ?? 0) + 1, total: importing?.total ?? 1 })}{' '}
            <span className="muted" dir="auto">
              {importing?.subject}
            </span>
          </span>
          <ProgressBar progress={importing} label={t('import.progressLabel')} />
          <button type="button" className="btn small" onClick={importJob.cancel}>
            {t('common.cancel')}
          </button>
        </div>
      )}
      {importJob.state.status === 'failed' && (
        <div className="error-box" role="alert" style={{ margin: '8px 18px' }}>
          {importJob.state.error.message}
        </div>
      )}
      <div className="list-toolbar">
        <div className="search">
          <Icon name="search" size={14} />
          <input
            ref={searchRef}
            className="input"
            type="search"
            dir="auto"
            placeholder={t('evidence.searchPlaceholder')}
            aria-label={t('evidence.search')}
            aria-describedby="evidence-search-rules"
            value={searchText}
            onChange={(e) => setSearchText(e.target.value)}
          />
        </div>
        <select
          className="select"
          aria-label={t('evidence.kindFilter')}
          value={view.kind ?? ''}
          onChange={(e) =>
            update({ kind: (e.target.value || null) as ListView['kind'], selection: fromTop(view.selection) })
          }
        >
          <option value="">{t('evidence.allKinds')}</option>
          <option value="capture">{t('kind.capture')}</option>
          <option value="import">{t('kind.import')}</option>
          <option value="received">{t('kind.received')}</option>
        </select>
        <select
          className="select"
          aria-label={t('evidence.tagFilter')}
          value={view.tag ?? ''}
          onChange={(e) => update({ tag: e.target.value || null, selection: fromTop(view.selection) })}
        >
          <option value="">{t('evidence.allTags')}</option>
          {(tags.value ?? []).map((tag) => (
            // An <option> holds text alone: the tag's invisible characters written as code points.
            <option key={tag} value={tag}>
              {withInvisiblesShown(tag)}
            </option>
          ))}
        </select>
        {selected.size > 0 && (
          <>
            {/* The selection's buttons show their icons alone on a narrow window (the search box keeps
                room for its placeholder); their whole names stay for screen readers and on hover. */}
            <button
              type="button"
              className="btn"
              aria-label={t('evidence.exportSelected', { count: selected.size })}
              title={t('evidence.exportSelected', { count: selected.size })}
              onClick={() => navigate({ screen: 'export', itemIds: [...selected] })}
            >
              <Icon name="export" size={14} />
              <span className="wide-label">{t('evidence.exportSelected', { count: selected.size })}</span>
            </button>
            <button
              type="button"
              className="btn"
              aria-label={t('evidence.tagSelected', { count: selected.size })}
              title={t('evidence.tagSelected', { count: selected.size })}
              onClick={() => setTagging(true)}
            >
              <Icon name="tag" size={14} />
              <span className="wide-label">{t('evidence.tag')}</span>
            </button>
            <button
              type="button"
              className="btn icon small"
              aria-label={t('evidence.clearSelection')}
              title={t('evidence.clearSelection')}
              onClick={() => select((s) => ({ ...s, selected: new Set() }))}
            >
              <Icon name="cross" size={14} />
            </button>
          </>
        )}
        <span className="count" aria-live="polite">
          {pages.total === null
            ? ''
            : pages.matchCap === null
              ? t('evidence.count', { count: pages.total })
              : t(pages.total < pages.matchCap ? 'evidence.countCappedFiltered' : 'evidence.countCapped', {
                  count: pages.total,
                  cap: pages.matchCap,
                })}
        </span>
      </div>
      <SearchRules id="evidence-search-rules" />
      {pages.matchCap !== null && (
        <div className="list-note" role="status">
          {t('evidence.capped', { cap: pages.matchCap })}
        </div>
      )}
      <section
        className="screen-body flush"
        data-testid="evidence-drop"
        style={{ position: 'relative' }}
        aria-label={t('import.dropArea')}
        onDragOver={(event) => {
          event.preventDefault();
          if (!dragging) setDragging(true);
        }}
        onDragLeave={(event) => {
          if (event.currentTarget === event.target) setDragging(false);
        }}
        onDrop={onDrop}
      >
        {pages.error && <div className="error-box">{pages.error}</div>}
        {pages.total === 0 && view.search.trim() !== '' ? (
          <NoMatches
            query={view.search}
            inCase
            onSearchAllCases={() => navigate({ screen: 'search', query: view.search })}
          />
        ) : pages.total === 0 && view.search === '' && !view.kind && !view.tag ? (
          <div className="empty-state">
            <Icon name="upload" size={30} />
            <strong>{t('evidence.emptyTitle')}</strong>
            <span>{t('evidence.emptyHint')}</span>
          </div>
        ) : (
          <EvidenceTable
            pages={pages}
            sort={view.sort}
            onSort={(sort) => update({ sort, selection: fromTop(view.selection) })}
            selection={view.selection}
            onMove={move}
            onClickRow={click}
            onToggle={toggle}
            onOpen={open}
            searching={view.search.trim() !== ''}
            listKey={JSON.stringify([view.sort, view.kind, view.tag, view.search])}
          />
        )}
        {dragging && (
          <div className="drop-overlay">
            <Icon name="upload" size={28} />
            {t('import.dropHere', { number: withInvisiblesShown(openCase.number) })}
            <span className="muted" style={{ fontWeight: 400, fontSize: 12 }}>
              {t('import.dropNote')}
            </span>
          </div>
        )}
      </section>
      {tagging && (
        <TagItemsDialog
          itemIds={[...selected]}
          knownTags={tags.value ?? []}
          onClose={() => setTagging(false)}
          onTagged={refresh}
        />
      )}
      {batchOpen && (
        <BatchCaptureDialog
          caseRef={openCase.id}
          onClose={() => setBatchOpen(false)}
          onCaptured={committed}
        />
      )}
    </>
  );
}
