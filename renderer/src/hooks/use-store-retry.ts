import { useState } from 'react';
import { ApiError, call } from '../platform/custos.js';

/**
 * A screen's Try again for a store the window could not read: the store's checks run again the
 * way the upgrade's Try again runs them (a store an older Custos wrote is upgraded first, which can
 * take a while), the screen staying meanwhile and saying it is checking, rather than the window
 * going blank. A failure the screen shows (`shows`) keeps it, with the new failure and when it was
 * checked; any other answer is the app's to show (`onOpened` reads the store again).
 */
/** A retry's state: the failure shown, whether it checks now, when a check last failed again, and its start. */
export interface StoreRetry {
  readonly error: Error;
  readonly checking: boolean;
  readonly checkedAt: Date | null;
  readonly start: () => void;
}

export function useStoreRetry<First extends Error>(
  first: First,
  onOpened: () => void,
  shows: (failure: ApiError) => boolean,
) {
  const [error, setError] = useState<First | ApiError>(first);
  const [checking, setChecking] = useState(false);
  const [checkedAt, setCheckedAt] = useState<Date | null>(null);
  const start = () => {
    if (checking) return; // its button stays focusable while it checks (aria-disabled)
    setChecking(true);
    void call('startStoreUpgrade', { again: true })
      .catch(() => undefined) // its failure is the answer of the read that follows
      .then(() => call('getProfile', {}))
      .then(onOpened, (failure: unknown) => {
        if (!(failure instanceof ApiError && shows(failure))) return onOpened();
        setError(failure);
        setCheckedAt(new Date());
        setChecking(false);
      });
  };
  return { error, checking, checkedAt, start };
}
