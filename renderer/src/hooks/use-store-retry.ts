import { useState } from 'react';
import type { StoreUpgrade } from '../../../shared/api.js';
import { ApiError, call } from '../platform/custos.js';

/** How often the window asks again while the store upgrade waits for another Custos process. */
export const UPGRADE_WAIT_POLL_MS = 1_000;

/** Whom a check waits for: the holder of the store's writer lock (pid, host, command, since), or null when unknown. */
export type StoreWait = NonNullable<StoreUpgrade['waiting']>;

/**
 * A screen's Try again for a store the window could not read: the store's checks run again the
 * way the upgrade's Try again runs them (a store an older Custos wrote is upgraded first, which can
 * take a while), the screen staying meanwhile and saying it is checking, rather than the window
 * going blank. A failure the screen shows (`shows`) keeps it, with the new failure and when it was
 * checked; any other answer is the app's to show (`onOpened` reads the store again). While the
 * check waits for another Custos process that holds the store's writer lock (the upgrade of a
 * store an older Custos wrote waits for it as long as it takes), `waiting` says whom it waits for,
 * asked again every second as the upgrade's notice does, so that the wait is never silent.
 */
/** A retry's state: the failure shown, whether it checks now (and whom it waits for), when a check last failed again, and its start. */
export interface StoreRetry {
  readonly error: Error;
  readonly checking: boolean;
  readonly waiting: StoreWait | null;
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
  const [waiting, setWaiting] = useState<StoreWait | null>(null);
  const start = () => {
    if (checking) return; // its button stays focusable while it checks (aria-disabled)
    setChecking(true);
    let read = false;
    // The upgrade's state, asked again while it waits for another process, until the read is answered.
    const follow = (upgrade: StoreUpgrade | null) => {
      if (read) return;
      setWaiting(upgrade?.waiting ?? null);
      if (upgrade?.waiting)
        setTimeout(() => {
          if (!read) call('startStoreUpgrade', {}).then(follow, () => undefined);
        }, UPGRADE_WAIT_POLL_MS);
    };
    void call('startStoreUpgrade', { again: true })
      .then(follow, () => undefined) // its failure is the answer of the read that follows
      .then(() => call('getProfile', {}))
      .finally(() => {
        read = true;
        setWaiting(null);
      })
      .then(onOpened, (failure: unknown) => {
        if (!(failure instanceof ApiError && shows(failure))) return onOpened();
        setError(failure);
        setCheckedAt(new Date());
        setChecking(false);
      });
  };
  return { error, checking, waiting, checkedAt, start };
}
