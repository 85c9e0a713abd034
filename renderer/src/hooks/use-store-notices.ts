import { useEffect } from 'react';
import { useNotice } from '../components/notices.js';
import { t } from '../i18n/i18n.js';
import { call } from '../platform/custos.js';

/** How often the frame asks whether opening the store for writing settled something to tell. */
export const STORE_NOTICES_POLL_MS = 5_000;

/**
 * Shows, as a warning notice, what a write's open of the store settled (a `custos restore` killed
 * before it was recorded, finished or undone), in the command's words: asked when the frame opens,
 * when `refresh` changes (the user moved), and every few seconds (any write may have settled one).
 * The API hands each once; the notice stays on every screen until the user dismisses it, for an
 * investigator must know that the database was put back or replaced. A failed ask is asked again later.
 */
export function useStoreNotices(refresh: unknown): void {
  const notice = useNotice();
  // biome-ignore lint/correctness/useExhaustiveDependencies: `refresh` is the reason to ask again
  useEffect(() => {
    const ask = () =>
      call('takeStoreNotices', {}).then(
        (notices) => {
          for (const text of notices)
            notice({ tone: 'warn', title: t('store.settledRestore'), body: text, untilDismissed: true });
        },
        () => undefined,
      );
    void ask();
    const timer = setInterval(ask, STORE_NOTICES_POLL_MS);
    return () => clearInterval(timer);
  }, [refresh, notice]);
}
