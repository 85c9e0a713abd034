import { StoreFailureCard } from '../components/store-failure-card.js';
import { type StoreRetry, useStoreRetry } from '../hooks/use-store-retry.js';
import { formatHourMinute, t, windowSentence } from '../i18n/i18n.js';

/**
 * Shown when the store could not be read for a reason other than an integrity finding (a lock
 * another program holds, a permission, a failing disk): a card headed "The evidence store could
 * not be opened" (a heading a screen reader's heading navigation finds, as on the other store
 * cards), the failure's message, and Try again,
 * which reads the store again once its cause is dealt with, saying Checking… meanwhile and when a
 * check failed again, as the integrity card does. An answer of another kind is the app's to show.
 */
export function StoreOpenFailed({
  error: firstError,
  onRetry,
}: Readonly<{ error: Error; onRetry: () => void }>) {
  const retry = useStoreRetry(firstError, onRetry, (failure) => failure.kind !== 'integrity');
  return (
    <StoreFailureCard titleId="store-open-title" title={t('storeOpen.title')} className="open-failed-card">
      <div className="content notice-lines">
        <p>{windowSentence(retry.error.message)}</p>
        <StoreRetryLine retry={retry} buttonClass="btn primary" />
      </div>
    </StoreFailureCard>
  );
}

/**
 * Try again, "Checking…" while it checks (and whom it waits for, when another Custos process holds
 * the store), and when a check failed again: the card's and the box's line.
 */
export function StoreRetryLine({ retry, buttonClass }: Readonly<{ retry: StoreRetry; buttonClass: string }>) {
  return (
    <div className="integrity-retry">
      {/* aria-disabled, not disabled: a disabled button loses the focus (to the page's body), and
          a second Enter after "still failing" did nothing. start ignores a click while it checks. */}
      <button type="button" className={buttonClass} aria-disabled={retry.checking} onClick={retry.start}>
        {retry.checking ? t('storeIntegrity.checking') : t('storeIntegrity.retry')}
      </button>
      <span role="status">
        {retry.checking && retry.waiting
          ? retry.waiting.holder
            ? t('storeIntegrity.waiting', { holder: retry.waiting.holder })
            : t('storeIntegrity.waitingUnknown')
          : retry.checkedAt && !retry.checking
            ? t('storeIntegrity.stillFailing', { time: formatHourMinute(retry.checkedAt) })
            : ''}
      </span>
    </div>
  );
}
