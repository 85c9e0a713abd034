import { useRef, useState } from 'react';
import type { ItemTimestamp, TimestampRequestOutcome } from '../../../shared/api.js';
import { LiveRegion } from '../components/live-region.js';
import { RunningButton } from '../components/running-button.js';
import { formatTime, t } from '../i18n/i18n.js';
import { call } from '../platform/custos.js';

/**
 * An item's trusted timestamp: granted (by whom, when), pending, or none. A pending request that an
 * authority did not grant says why (the reason the queue recorded, in the window's words), with a
 * button that sends the pending requests again; a granted one shows no earlier failure.
 */
export function ItemTimestampStatus({
  timestamps,
  onRequested,
}: Readonly<{ timestamps: readonly ItemTimestamp[]; onRequested?: () => void }>) {
  const stamp = timestamps.find((s) => s.status === 'granted') ?? timestamps[0];
  const reason = stamp?.status === 'pending' ? stamp.lastError : null;
  const ask = useRequestTimestamps(onRequested);
  return (
    <>
      <strong>{t('item.timestamp')}: </strong>
      {stamp?.status === 'granted'
        ? t('item.timestampGranted', {
            authority: stamp.authority ?? '?',
            time: stamp.time ? formatTime(stamp.time) : '?',
          })
        : stamp?.status === 'pending'
          ? t('item.timestampPending')
          : t('item.timestampNone')}
      {reason && (
        <LiveRegion role="status" className="warn-box" testId="timestamp-failure">
          <div>{t('item.timestampFailed', { reason })}</div>
          <div>{t('item.timestampRetry')}</div>
          <RequestTimestampsButton ask={ask} />
        </LiveRegion>
      )}
      <RequestTimestampsResult ask={ask} />
    </>
  );
}

/** Sending the pending timestamp requests again: whether it runs, and what it did (or why it failed). */
export interface RequestTimestamps {
  readonly running: boolean;
  readonly outcome: TimestampRequestOutcome | null;
  readonly error: string | null;
  run(): void;
}

/** `requestTimestamps`, one run at a time; `done` is called after each run (to load what changed). */
export function useRequestTimestamps(done?: () => void): RequestTimestamps {
  const [running, setRunning] = useState(false);
  const [outcome, setOutcome] = useState<TimestampRequestOutcome | null>(null);
  const [error, setError] = useState<string | null>(null);
  const busy = useRef(false);
  const run = () => {
    if (busy.current) return;
    busy.current = true;
    setRunning(true);
    setOutcome(null);
    setError(null);
    call('requestTimestamps', {})
      .then(setOutcome, (e: unknown) => setError(e instanceof Error ? e.message : String(e)))
      .finally(() => {
        busy.current = false;
        setRunning(false);
        done?.();
      });
  };
  return { running, outcome, error, run };
}

/** "Ask the authorities again", aria-disabled and saying so while the requests are out. */
export function RequestTimestampsButton({ ask }: Readonly<{ ask: RequestTimestamps }>) {
  return (
    <RunningButton style={{ marginTop: 8 }} running={ask.running} onPress={ask.run}>
      {ask.running ? t('timestamp.asking') : t('timestamp.askAgain')}
    </RunningButton>
  );
}

/** What the last run did, in one line: granted, or still pending and why. */
export function RequestTimestampsResult({ ask }: Readonly<{ ask: RequestTimestamps }>) {
  const { outcome, error } = ask;
  if (error) {
    return (
      <LiveRegion role="alert" className="error-box" testId="timestamp-request-result">
        {error}
      </LiveRegion>
    );
  }
  if (!outcome) return null;
  const text =
    outcome.pending > 0
      ? t('timestamp.askedPending', {
          count: outcome.pending,
          granted: outcome.granted,
          reasons: outcome.reasons.join('; ') || t('timestamp.noReason'),
        })
      : outcome.granted > 0
        ? t('timestamp.askedGranted', { count: outcome.granted })
        : t('timestamp.askedNothing');
  return (
    <LiveRegion
      role="status"
      className={outcome.pending > 0 ? 'warn-box' : 'ok-box'}
      testId="timestamp-request-result"
    >
      {text}
    </LiveRegion>
  );
}
