import { useCallback, useEffect, useRef } from 'react';
import { call } from '../platform/custos.js';

/** The most item ids one `waitForTimestamps` call takes (its schema's bound). */
const MAX_IDS = 1000;

/**
 * What to do when new items are committed (a capture, an import): show them at once, and again
 * when their trusted timestamps are answered. The service asks the authorities after it has
 * answered the capture, so an item shows as pending first and as timestamped a moment later
 * (or stays pending, with the reason on its screen, when no authority answered).
 */
export function useTimestampRefresh(refresh: () => void): (items: readonly { id: string }[]) => void {
  const controller = useRef<AbortController | null>(null);
  useEffect(() => () => controller.current?.abort(), []);
  return useCallback(
    (items: readonly { id: string }[]) => {
      refresh();
      if (items.length === 0) return;
      controller.current ??= new AbortController();
      const itemIds = items.slice(0, MAX_IDS).map((item) => item.id);
      // A failure here only means the badge refreshes on the next visit: the timestamp is not lost.
      call('waitForTimestamps', { itemIds }, { signal: controller.current.signal }).then(
        refresh,
        () => undefined,
      );
    },
    [refresh],
  );
}
