import { useCallback, useEffect, useState } from 'react';
import type { SelectorHit } from '../../../shared/selectors.js';
import { call } from '../platform/custos.js';

/** The event a screen sends after it added or removed a selector, so the badge asks again at once. */
export const SELECTORS_CHANGED_EVENT = 'custos:selectors-changed';

/** Tells the navigation's badge that selectors (and so their hits) changed. */
export function announceSelectorsChanged(): void {
  window.dispatchEvent(new Event(SELECTORS_CHANGED_EVENT));
}

/**
 * Passes on the answer of a call that stores new evidence (a capture, an import, a receive), and
 * has the badge ask again at once: the answer comes after the first index pass, so the new items'
 * hits are there (text read in pictures follows in the background, for the next ask).
 */
export async function withNewEvidence<T>(storing: Promise<T>): Promise<T> {
  try {
    return await storing;
  } finally {
    announceSelectorsChanged();
  }
}

/**
 * How often the navigation asks again for the hits: new evidence is checked once it is indexed,
 * and text read in pictures arrives a little after a capture, in the background.
 */
export const HITS_POLL_MS = 15_000;

/** Where this window remembers which hits the investigator has seen (not evidence: a view's memory). */
const SEEN_KEY = 'custos.seenSelectorHits';
/** The most hits remembered as seen; the oldest are forgotten first. */
const MAX_SEEN = 20_000;

/** A hit's identity across reloads: the selector, the item, and how the item holds it. */
export function hitKey(hit: SelectorHit): string {
  return `${hit.selector.id}|${hit.itemId}|${hit.match}`;
}

function readSeen(): Set<string> {
  try {
    const stored = JSON.parse(localStorage.getItem(SEEN_KEY) ?? '[]');
    return new Set(Array.isArray(stored) ? stored.filter((k) => typeof k === 'string') : []);
  } catch {
    return new Set();
  }
}

/** Remembers these hits as seen. */
export function markHitsSeen(hits: readonly SelectorHit[]): void {
  const seen = readSeen();
  for (const hit of hits) seen.add(hitKey(hit));
  localStorage.setItem(SEEN_KEY, JSON.stringify([...seen].slice(-MAX_SEEN)));
  window.dispatchEvent(new Event(SELECTORS_CHANGED_EVENT));
}

/** The hits this window has not shown the investigator yet. */
export function unseenHits(hits: readonly SelectorHit[]): SelectorHit[] {
  const seen = readSeen();
  return hits.filter((h) => !seen.has(hitKey(h)));
}

/**
 * How many selector hits (every case) the investigator has not seen on the Selectors screen, for
 * the navigation's badge: asked when the frame opens, when `refresh` changes (the user moved),
 * when a screen announces a change, and every HITS_POLL_MS. A failed ask leaves the last count.
 */
export function useNewSelectorHits(refresh: unknown): number {
  const [count, setCount] = useState(0);
  const ask = useCallback(
    (current: () => boolean) =>
      call('listSelectorHits', {}).then(
        (hits) => {
          if (current()) setCount(unseenHits(hits).length);
        },
        () => undefined,
      ),
    [],
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: `refresh` is the reason to ask again
  useEffect(() => {
    let live = true;
    const again = () => void ask(() => live);
    again();
    const timer = setInterval(again, HITS_POLL_MS);
    window.addEventListener(SELECTORS_CHANGED_EVENT, again);
    return () => {
      live = false;
      clearInterval(timer);
      window.removeEventListener(SELECTORS_CHANGED_EVENT, again);
    };
  }, [refresh, ask]);
  return count;
}
