import { shellArgument, shellFor } from '../../../shared/shell-argument.js';
import { PathText } from '../components/path-text.js';
import { StoreFailureCard } from '../components/store-failure-card.js';
import { CopyButton } from '../components/text.js';
import { useLoad } from '../hooks/use-load.js';
import { useStoreRetry } from '../hooks/use-store-retry.js';
import { asSentence, t } from '../i18n/i18n.js';
import { type ApiError, call } from '../platform/custos.js';
import { StoreIntegrityAudit } from './store-integrity-audit.js';
import { StoreRetryLine } from './store-open-failed.js';

/**
 * Shown in place of the cases when the store failed its integrity check on open (its signed
 * anchor, store.json, or its database does not match what the anchor records, or the database is
 * damaged): what happened in plain words, what Custos found (technical details on a line of their
 * own), the store's folder on a line of its own, and what to do: leave
 * the folder as it is, run the audit from the window to see every difference (the exact command
 * line, with the folder, below it for those who have the Custos command line), tell whoever keeps
 * the backups, and Try again once the store has been restored (the open's checks
 * run again). The card takes the focus, so that a keyboard or screen-reader user meets it first.
 */
export function StoreIntegrityFailed({
  error: firstError,
  onRetry,
}: Readonly<{ error: ApiError; onRetry: () => void }>) {
  const retry = useStoreRetry(firstError, onRetry, (failure) => failure.kind === 'integrity');
  const { error } = retry;
  // The finding without the command line's advice (the card gives its own), else the whole message.
  const found = error.finding?.what ?? error.message;
  // The folder is asked of the service, which reads nothing in the store to answer.
  const folder = useLoad(() => call('getStoreFolder', {}), []);
  const storeDir = folder.value?.storeDir;
  // Quoted for the shell people type in on this platform: PowerShell on Windows, else a POSIX shell.
  const shell = shellFor(window.custosShell?.platform ?? 'browser');
  // Without the folder (its answer failed), the command finds the store as the app does: CUSTOS_STORE, else the default.
  const auditCommand = storeDir
    ? `custos audit --store ${shellArgument(storeDir, shell)}`
    : folder.error
      ? 'custos audit'
      : null;
  return (
    <StoreFailureCard
      titleId="store-integrity-title"
      title={t('storeIntegrity.title')}
      className="integrity-card"
    >
      <div className="content notice-lines">
        <p>{t('storeIntegrity.what')}</p>
        <p className="found">
          <PathText value={t('storeIntegrity.found', { found: asSentence(found) })} />
        </p>
        {error.finding?.details && (
          <p className="integrity-details">
            <PathText value={t('storeIntegrity.details', { details: error.finding.details })} />
          </p>
        )}
        {storeDir && (
          <div>
            <div className="label">{t('storeIntegrity.folder')}</div>
            <CopyLine value={storeDir} copyName={t('storeIntegrity.copyFolder')} />
          </div>
        )}
        <div>
          <div className="label">{t('storeIntegrity.next')}</div>
          <ol className="integrity-steps">
            <li>{t('storeIntegrity.keep')}</li>
            <li>
              {t('storeIntegrity.audit')}
              <StoreIntegrityAudit />
              {auditCommand && (
                <div className="integrity-cli">
                  <div className="label">
                    {t(shell === 'powershell' ? 'storeIntegrity.auditPowerShell' : 'storeIntegrity.auditCli')}
                  </div>
                  <CopyLine value={auditCommand} copyName={t('storeIntegrity.copyCommand')} />
                </div>
              )}
            </li>
            <li>{t('storeIntegrity.backups')}</li>
            <li>{t('storeIntegrity.retryWhen')}</li>
          </ol>
        </div>
        <StoreRetryLine retry={retry} buttonClass="btn" />
      </div>
    </StoreFailureCard>
  );
}

/** A folder or a command on a line of its own, displayed unambiguously, with a button that copies it exactly. */
function CopyLine({ value, copyName }: Readonly<{ value: string; copyName: string }>) {
  return (
    <div className="copy-line">
      <code className="mono" dir="ltr">
        <PathText value={value} />
      </code>
      <CopyButton value={value} name={copyName} />
    </div>
  );
}
