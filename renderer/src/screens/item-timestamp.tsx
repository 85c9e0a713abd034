import type { ItemTimestamp } from '../../../shared/api.js';
import { formatTime, t } from '../i18n/i18n.js';

/**
 * An item's trusted timestamp: granted (by whom, when), pending, or none. A pending request that an
 * authority did not grant says why (the reason the queue recorded, in the window's words) and what
 * happens next; a granted one shows no earlier failure.
 */
export function ItemTimestampStatus({ timestamps }: Readonly<{ timestamps: readonly ItemTimestamp[] }>) {
  const stamp = timestamps.find((s) => s.status === 'granted') ?? timestamps[0];
  const reason = stamp?.status === 'pending' ? stamp.lastError : null;
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
        <div className="warn-box" role="status" data-testid="timestamp-failure">
          <div>{t('item.timestampFailed', { reason })}</div>
          <div>{t('item.timestampRetry')}</div>
        </div>
      )}
    </>
  );
}
