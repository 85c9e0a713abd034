import { useEffect, useState } from 'react';
import { call } from '../platform/custos.js';

/** The event a screen sends after it ran, added or removed a watch, so the badge asks again at once. */
export const WATCHES_CHANGED_EVENT = 'custos:watches-changed';

/** Tells the navigation's badge that watches changed. */
export function announceWatchesChanged(): void {
  window.dispatchEvent(new Event(WATCHES_CHANGED_EVENT));
}

/** How often the navigation asks again how many watched URLs were found removed. */
export const REMOVED_POLL_MS = 60_000;

/**
 * How many active watches were last found removed, for the navigation's badge: asked when the
 * frame opens, when `refresh` changes (the user moved), when a screen announces a change, and
 * every minute (the scheduler may have run). A failed ask leaves the last count.
 */
export function useRemovedWatches(refresh: unknown): number {
  const [count, setCount] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `refresh` is the reason to ask again
  useEffect(() => {
    let current = true;
    const ask = () =>
      call('listWatches', {}).then(
        (watches) => {
          if (current) setCount(watches.filter((w) => w.state === 'removed').length);
        },
        () => undefined,
      );
    void ask();
    const timer = setInterval(ask, REMOVED_POLL_MS);
    window.addEventListener(WATCHES_CHANGED_EVENT, ask);
    return () => {
      current = false;
      clearInterval(timer);
      window.removeEventListener(WATCHES_CHANGED_EVENT, ask);
    };
  }, [refresh]);
  return count;
}
