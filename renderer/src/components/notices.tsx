import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { t } from '../i18n/i18n.js';
import { Icon } from './icons.js';
import { UntrustedText } from './text.js';

/** A short message after an action: what happened, and the hash to note down. */
export interface Notice {
  /** `warn`: done, but not as hoped (a capture of a page that answered 404); it stays like an error. */
  readonly tone: 'good' | 'bad' | 'warn' | 'info';
  readonly title: string;
  readonly body?: ReactNode;
  /**
   * What the user must read (a restore that was interrupted and settled): it stays on every screen,
   * through screen changes and newer notices, until the user dismisses it with its Dismiss button.
   */
  readonly untilDismissed?: boolean;
}

interface NoticeEntry extends Notice {
  readonly id: number;
}

/** At most this many notices are on screen; a new one pushes out the oldest (a success first). */
export const MAX_NOTICES = 3;
/** How long a success or information notice stays, unless the pointer or focus is on it. */
export const NOTICE_MS = 6_000;

const NoticeContext = createContext<(notice: Notice) => void>(() => undefined);

/** The notices on screen, and the functions that take them off. */
interface NoticeList {
  readonly entries: readonly NoticeEntry[];
  dismiss(id: number): void;
  clear(): void;
}
const NoticeListContext = createContext<NoticeList>({
  entries: [],
  dismiss: () => undefined,
  clear: () => undefined,
});

/**
 * The list after `entry` arrives: past MAX_NOTICES, the oldest success goes first, else the oldest;
 * a notice kept until dismissed never goes, nor counts.
 */
export function withNotice<T extends Pick<Notice, 'tone' | 'untilDismissed'>>(
  list: readonly T[],
  entry: T,
): T[] {
  const next = [...list, entry];
  for (;;) {
    const movable = next.flatMap((n, i) => (n.untilDismissed ? [] : [i]));
    if (movable.length <= MAX_NOTICES) return next;
    const passing = movable.find((i) => next[i]?.tone !== 'bad');
    next.splice(passing === undefined || passing === movable.at(-1) ? (movable[0] ?? 0) : passing, 1);
  }
}

let nextNotice = 0;

/**
 * Keeps the notices: newest last, at most three. Errors stay until dismissed; the others dismiss
 * themselves after a few seconds, but not while the pointer or focus is on them (so a digest can be
 * read and copied). `NoticeArea` shows them, in the layout's own place: they never cover a result.
 * Clearing (another screen) leaves a notice kept until dismissed, which is over and above the three.
 */
export function NoticeProvider({ children }: Readonly<{ children: ReactNode }>) {
  const [entries, setEntries] = useState<readonly NoticeEntry[]>([]);
  const dismiss = useCallback((id: number) => setEntries((list) => list.filter((n) => n.id !== id)), []);
  const clear = useCallback(
    () =>
      setEntries((list) =>
        list.every((n) => n.untilDismissed) ? list : list.filter((n) => n.untilDismissed),
      ),
    [],
  );
  const show = useCallback((notice: Notice) => {
    const id = ++nextNotice;
    setEntries((list) => withNotice(list, { ...notice, id }));
  }, []);
  const list = useMemo(() => ({ entries, dismiss, clear }), [entries, dismiss, clear]);
  return (
    <NoticeContext.Provider value={show}>
      <NoticeListContext.Provider value={list}>{children}</NoticeListContext.Provider>
    </NoticeContext.Provider>
  );
}

/**
 * Where the notices are shown: a strip of the layout (not a layer over it), empty when there are none.
 * Of the notices kept until dismissed (never pushed out), the newest MAX_NOTICES are shown and the
 * earlier ones counted on one line with a button that shows them, so that many late saves cannot
 * fill the window; none is dropped.
 */
export function NoticeArea() {
  const { entries, dismiss } = useContext(NoticeListContext);
  const [showAll, setShowAll] = useState(false);
  const kept = entries.filter((n) => n.untilDismissed);
  const hidden = showAll ? [] : kept.slice(0, Math.max(0, kept.length - MAX_NOTICES));
  useEffect(() => {
    if (kept.length <= MAX_NOTICES) setShowAll(false);
  }, [kept.length]);
  return (
    <div className="notices" aria-live="polite">
      {hidden.length > 0 && (
        <div className="notice info notices-earlier">
          <div className="body">{t('notice.earlierKept', { count: hidden.length })}</div>
          <button type="button" className="btn small" onClick={() => setShowAll(true)}>
            {t('notice.showEarlier')}
          </button>
        </div>
      )}
      {entries
        .filter((n) => !hidden.includes(n))
        .map((n) => (
          <NoticeCard key={n.id} notice={n} onDismiss={dismiss} />
        ))}
    </div>
  );
}

/**
 * Where the keyboard goes when the notice holding it is dismissed (its card about to go, the focus
 * with it to the page's body): the next notice's button, else the one before, so that several
 * notices are dismissed by pressing Enter again; after the last, the screen's first action or heading.
 */
function focusAfterDismissing(card: Element | null): void {
  if (!card?.contains(document.activeElement)) return;
  const neighbour = [card.nextElementSibling, card.previousElementSibling]
    .map((n) => n?.querySelector<HTMLElement>('button'))
    .find((b) => b);
  if (neighbour) {
    neighbour.focus();
    return;
  }
  // As on arriving at a screen (useArrivalFocus): its first action, else its heading.
  const main = document.querySelector('main');
  const heading = main?.querySelector<HTMLElement>('h1');
  if (heading) heading.tabIndex = -1;
  (main?.querySelector<HTMLElement>('[data-autofocus]') ?? heading)?.focus();
}

function NoticeCard({
  notice,
  onDismiss,
}: Readonly<{ notice: NoticeEntry; onDismiss: (id: number) => void }>) {
  const [held, setHeld] = useState(false);
  const lasting = notice.tone === 'bad' || notice.tone === 'warn' || notice.untilDismissed === true;
  useEffect(() => {
    if (lasting || held) return;
    const timer = setTimeout(() => onDismiss(notice.id), NOTICE_MS);
    return () => clearTimeout(timer);
  }, [lasting, held, notice.id, onDismiss]);
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: pointer and focus only hold the notice on screen
    <div
      className={`notice ${notice.tone}`}
      // A success kept until dismissed (a save's outcome told late) is no alarm: a polite status.
      role={notice.tone === 'bad' || notice.tone === 'warn' ? 'alert' : 'status'}
      onPointerEnter={() => setHeld(true)}
      onPointerLeave={() => setHeld(false)}
      onFocus={() => setHeld(true)}
      onBlur={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setHeld(false);
      }}
    >
      <div className="body">
        {/* A title or a service's message may name an item, a file or an address from evidence. */}
        <div className="title">
          <UntrustedText text={notice.title} />
        </div>
        {typeof notice.body === 'string' ? <UntrustedText text={notice.body} /> : notice.body}
      </div>
      {notice.untilDismissed ? (
        // Named in words, not a cross alone: taking this one off is a choice the user makes.
        <button
          type="button"
          className="btn small"
          onClick={(event) => {
            focusAfterDismissing(event.currentTarget.closest('.notice'));
            onDismiss(notice.id);
          }}
        >
          {t('notice.dismissRead')}
        </button>
      ) : (
        <button
          type="button"
          className="close"
          aria-label={t('notice.dismiss')}
          title={t('notice.dismiss')}
          onClick={(event) => {
            focusAfterDismissing(event.currentTarget.closest('.notice'));
            onDismiss(notice.id);
          }}
        >
          <Icon name="cross" size={14} />
        </button>
      )}
    </div>
  );
}

/** The function that shows a notice. */
export function useNotice(): (notice: Notice) => void {
  return useContext(NoticeContext);
}

/** The function that takes every notice off (another screen, or a new result that makes them stale). */
export function useClearNotices(): () => void {
  return useContext(NoticeListContext).clear;
}
