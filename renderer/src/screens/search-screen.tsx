import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { SearchHit, SearchPage } from '../../../shared/api.js';
import { Icon } from '../components/icons.js';
import { NoMatches, SearchRules } from '../components/search-help.js';
import { SnippetText } from '../components/snippet-text.js';
import { BidiText, MonoText, UrlText } from '../components/text.js';
import { useLoad } from '../hooks/use-load.js';
import { formatTime, t } from '../i18n/i18n.js';
import { call } from '../platform/custos.js';
import { useAppState } from '../state/app-state.js';

/** Hits fetched per page of results. */
const SEARCH_PAGE = 25;

/** Search across every case: ranked items with snippets of their text; one opens its case and item. */
export function SearchScreen({ initialQuery = '' }: Readonly<{ initialQuery?: string }>) {
  const { navigate, setOpenCase } = useAppState();
  const [text, setText] = useState(initialQuery);
  // Each search entered is a run of its own (the same words entered again too): an answer for an
  // earlier run (its next page, a hit it was opening) arrives too late to be this one's, and is dropped.
  const [search, setSearch] = useState({ query: initialQuery, run: 0 });
  const { query, run } = search;
  const currentRun = useRef(run);
  currentRun.current = run;
  // Which hit is to open: the one clicked last. An answer for an earlier click (another hit opened
  // meanwhile), or one that arrives after the screen was left, is dropped, not taken to its item.
  const opening = useRef(0);
  useEffect(
    () => () => {
      opening.current++;
    },
    [],
  );
  const first = useLoad(
    () =>
      query.trim() === ''
        ? Promise.resolve(null)
        : call('searchItems', { query, offset: 0, limit: SEARCH_PAGE }),
    [search],
  );
  // Hits of the pages after the first, a failure of this run (a next page, a hit that did not
  // open), and whether a next page is on its way: each for the run it belongs to.
  const [later, setLater] = useState<{ run: number; hits: readonly SearchHit[] }>({ run, hits: [] });
  const [failure, setFailure] = useState<{ run: number; message: string } | null>(null);
  const [busyRun, setBusyRun] = useState<number | null>(null);
  const page: SearchPage | null = first.value
    ? { ...first.value, hits: [...first.value.hits, ...(later.run === run ? later.hits : [])] }
    : null;
  const error = first.error?.message ?? (failure?.run === run ? failure.message : null);

  // Show more stays focusable while its page is read (aria-disabled, not disabled: a disabled
  // button drops the focus to the page's body); pressed again meanwhile, it asks for nothing. When
  // the last page has come and the button is gone, the focus it had goes to that page's first hit.
  const moreButton = useRef<HTMLButtonElement>(null);
  const results = useRef<HTMLOListElement>(null);
  const [focusHit, setFocusHit] = useState<number | null>(null);
  useEffect(() => {
    if (focusHit === null) return;
    results.current?.querySelectorAll<HTMLElement>('.search-hit')[focusHit]?.focus();
    setFocusHit(null);
  }, [focusHit]);
  const more = async () => {
    if (!page || busyRun === run) return;
    setBusyRun(run);
    try {
      const offset = page.hits.length;
      const next = await call('searchItems', { query, offset, limit: SEARCH_PAGE });
      if (currentRun.current !== run) return;
      setLater((old) => ({ run, hits: [...(old.run === run ? old.hits : []), ...next.hits] }));
      setFailure(null);
      const focused = document.activeElement !== null && document.activeElement === moreButton.current;
      if (focused && offset + next.hits.length >= page.total) setFocusHit(offset);
    } catch (e) {
      if (currentRun.current === run) setFailure({ run, message: (e as Error).message });
    } finally {
      setBusyRun((busy) => (busy === run ? null : busy));
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSearch({ query: text, run: run + 1 });
  };

  const openHit = async (hit: SearchHit) => {
    const click = ++opening.current;
    // A new search entered meanwhile stays; so does a hit clicked after this one, or a screen left.
    const superseded = () => currentRun.current !== run || opening.current !== click;
    try {
      const opened = await call('getCase', { caseRef: hit.caseId });
      if (superseded()) return;
      setOpenCase(opened);
      navigate({ screen: 'item', itemId: hit.id });
    } catch (e) {
      if (!superseded()) setFailure({ run, message: (e as Error).message });
    }
  };

  return (
    <>
      <div className="screen-head">
        <div>
          <h1>{t('search.title')}</h1>
          <div className="sub">{t('search.hint')}</div>
        </div>
      </div>
      <form className="list-toolbar" onSubmit={submit}>
        <div className="search" style={{ flex: 1 }}>
          <Icon name="search" size={14} />
          <input
            className="input"
            type="search"
            dir="auto"
            // biome-ignore lint/a11y/noAutofocus: the screen exists to type a search
            autoFocus
            placeholder={t('search.placeholder')}
            aria-label={t('search.placeholder')}
            aria-describedby="search-rules"
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        </div>
        {/* Never disabled: a disabled default button makes Enter in the box do nothing, and a new
            search entered while one answers must replace it (useLoad drops the late answer). */}
        <button type="submit" className="btn primary">
          {t('search.go')}
        </button>
        <span className="count" aria-live="polite">
          {page && query.trim() !== ''
            ? t(page.totalCapped ? 'search.countCapped' : 'search.count', { count: page.total })
            : ''}
        </span>
      </form>
      <SearchRules id="search-rules" />
      <section className="screen-body">
        {error && (
          <div className="error-box" role="alert">
            {error}
          </div>
        )}
        {page && page.total === 0 && !error && <NoMatches query={query} />}
        {page?.totalCapped && (
          <div className="list-note" role="status">
            {t('search.capped', { count: page.total })}
          </div>
        )}
        {page && page.hits.length > 0 && (
          <ol ref={results} className="search-results" aria-label={t('search.results')}>
            {page.hits.map((hit) => (
              <li key={hit.id}>
                <button type="button" className="search-hit" onClick={() => void openHit(hit)}>
                  <span className="search-hit-head">
                    <MonoText text={hit.caseNumber} />
                    <strong className="ellipsis">
                      <BidiText text={hit.title ?? hit.source} />
                    </strong>
                    <span className="muted mono">{formatTime(hit.capturedAt)}</span>
                  </span>
                  {hit.url && <UrlText url={hit.url} className="muted ellipsis" />}
                  {hit.snippet && <SnippetText snippet={hit.snippet} className="search-hit-snippet" />}
                </button>
              </li>
            ))}
          </ol>
        )}
        {page && page.hits.length < page.total && (
          <button
            ref={moreButton}
            type="button"
            className="btn"
            aria-disabled={busyRun === run || undefined}
            onClick={() => void more()}
          >
            {t('search.more', { shown: page.hits.length, total: page.total })}
          </button>
        )}
      </section>
    </>
  );
}
