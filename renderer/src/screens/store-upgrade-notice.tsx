import { type ReactNode, type RefObject, useEffect, useRef } from 'react';
import type { StoreUpgrade, StoreUpgradeFailure, UpgradeStepAfterCommit } from '../../../shared/api.js';
import { ProgressBar } from '../components/progress-bar.js';
import { SetupCardHeader } from '../components/setup-card-header.js';
import { asSentence, type MessageKey, t } from '../i18n/i18n.js';

/**
 * Shown while the store an older Custos wrote is being upgraded (the first reads wait for it, for
 * tens of seconds in a large store): what is happening, that the evidence is safe, and what to do,
 * so that nobody takes the wait for a hang and kills the app; while it waits for another Custos
 * process that holds the store, whom it waits for.
 */
export function StoreUpgradeNotice({ upgrade }: Readonly<{ upgrade: StoreUpgrade }>) {
  return (
    <UpgradeCard role="status" title={t('storeUpgrade.title')}>
      <ProgressBar progress={null} label={t('storeUpgrade.title')} />
      {upgrade.waiting && (
        <p>
          {upgrade.waiting.holder
            ? t('storeUpgrade.waiting', { holder: upgrade.waiting.holder })
            : t('storeUpgrade.waitingUnknown')}
        </p>
      )}
      <p>{t('storeUpgrade.wait')}</p>
      <p className="muted">{t('storeUpgrade.safe')}</p>
      <p className="muted" style={{ fontSize: 12 }}>
        {t('storeUpgrade.versions', { from: upgrade.fromVersion, to: upgrade.toVersion })}
      </p>
    </UpgradeCard>
  );
}

/**
 * Shown when the upgrade failed: whether the store is exactly as it was (its one transaction rolled
 * back) or was upgraded and a step after the commit did not finish (which), what happened and what
 * to do, the raw error on a details line for whoever investigates, and a way to try again without
 * restarting Custos, since the app's first reads all wait for it.
 */
export function StoreUpgradeFailed({
  upgrade,
  failure,
  onRetry,
  focusRetry = false,
}: Readonly<{
  upgrade: StoreUpgrade;
  failure: StoreUpgradeFailure;
  onRetry: () => void;
  /** Shown again after Try again (that attempt failed too): the focus goes back to Try again. */
  focusRetry?: boolean;
}>) {
  const unfinished = failure.unfinished;
  const said = failureWording(failure);
  // The card takes the focus when it first appears, as the integrity card does, so that a keyboard
  // or screen-reader user meets it first rather than the page's body. The notice that says the
  // store is being updated takes the card's place while Try again's attempt runs: back, the focus
  // goes to Try again, where they were, as on the other store cards, whose Try again keeps it.
  const card = useRef<HTMLElement>(null);
  const retry = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    (focusRetry ? retry.current : card.current)?.focus();
  }, [focusRetry]);
  return (
    <UpgradeCard role="alert" title={t(said.title)} cardRef={card}>
      <p>
        {unfinished
          ? t('storeUpgrade.unfinished', { to: upgrade.toVersion, step: t(UNFINISHED_STEP[unfinished]) })
          : t(said.what)}
      </p>
      <p>{t('storeUpgrade.reason', { reason: asSentence(failure.reason) })}</p>
      <p className="muted">{t(said.next)}</p>
      <p className="muted" style={{ fontSize: 12 }}>
        {t('storeUpgrade.versions', { from: upgrade.fromVersion, to: upgrade.toVersion })}
      </p>
      <p className="muted" style={{ fontSize: 12, overflowWrap: 'anywhere' }}>
        {t('storeUpgrade.details', { details: failure.details })}
      </p>
      <div>
        <button ref={retry} type="button" className="btn primary" onClick={onRetry}>
          {t('storeUpgrade.retry')}
        </button>
      </div>
    </UpgradeCard>
  );
}

/** What the card says of the store: unchanged, updated with a step unfinished, or not known which. */
function failureWording(failure: StoreUpgradeFailure): {
  readonly title: MessageKey;
  readonly what: MessageKey;
  readonly next: MessageKey;
} {
  if (failure.unfinished)
    return {
      title: 'storeUpgrade.unfinishedTitle',
      what: 'storeUpgrade.unfinished',
      next: 'storeUpgrade.unfinishedNext',
    };
  if (failure.appliedUnknown)
    return {
      title: 'storeUpgrade.failedTitle',
      what: 'storeUpgrade.unknown',
      next: 'storeUpgrade.unknownNext',
    };
  return { title: 'storeUpgrade.failedTitle', what: 'storeUpgrade.failed', next: 'storeUpgrade.failedNext' };
}

/** How the card names each step after the commit that can fail. */
const UNFINISHED_STEP: Readonly<Record<UpgradeStepAfterCommit, MessageKey>> = {
  'file-modes': 'storeUpgrade.step.fileModes',
  closing: 'storeUpgrade.step.closing',
};

function UpgradeCard({
  role,
  title,
  cardRef,
  children,
}: Readonly<{
  role: 'status' | 'alert';
  title: string;
  cardRef?: RefObject<HTMLElement | null>;
  children: ReactNode;
}>) {
  return (
    <div className="centered">
      <section
        ref={cardRef}
        tabIndex={cardRef ? -1 : undefined}
        className="setup-card"
        role={role}
        aria-labelledby="store-upgrade-title"
      >
        <SetupCardHeader titleId="store-upgrade-title" title={title} />
        <div className="content notice-lines">{children}</div>
      </section>
    </div>
  );
}
