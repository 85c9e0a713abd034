import type { AuditReport } from '../../../shared/domain.js';
import { RunningButton } from '../components/running-button.js';
import { CopyButton, UntrustedText } from '../components/text.js';
import { useJob } from '../hooks/use-job.js';
import { asSentence, formatBytes, t } from '../i18n/i18n.js';
import { call } from '../platform/custos.js';

/**
 * The integrity card's "Run the audit now": the store's audit run from the window (the installed
 * app has no `custos` command on the PATH of Windows or macOS, and on Linux `custos` is the app
 * itself), its result in plain words on the card: clean, or each difference on a line of its own,
 * with a Copy of the whole text for whoever keeps the backups. The audit only reads.
 */
export function StoreIntegrityAudit() {
  const job = useJob((options) => call('auditStore', {}, options));
  const { state } = job;
  const progress = state.status === 'running' ? state.progress : null;
  return (
    <div className="integrity-audit">
      <RunningButton className="btn primary" running={job.running} onPress={() => void job.start()}>
        {state.status === 'done' || state.status === 'failed'
          ? t('storeIntegrity.auditAgain')
          : t('storeIntegrity.auditRun')}
      </RunningButton>
      {job.running && (
        <p className="integrity-audit-status" role="status">
          {progress && progress.total > 0
            ? t('audit.progress', { done: formatBytes(progress.done), total: formatBytes(progress.total) })
            : t('audit.starting')}
        </p>
      )}
      {state.status === 'failed' && (
        <p className="error-box integrity-audit-status" role="status">
          {t('storeIntegrity.auditFailed', { reason: asSentence(state.error.message) })}
        </p>
      )}
      {state.status === 'done' && <AuditResult report={state.value} />}
    </div>
  );
}

/** The audit's result: its verdict, each difference and notice as a line, and a Copy of them all. */
function AuditResult({ report }: Readonly<{ report: AuditReport }>) {
  return (
    <section className="integrity-audit-result" role="status" aria-label={t('storeIntegrity.auditResult')}>
      <p className={`verdict ${report.clean ? 'good' : 'bad'}`}>{auditVerdict(report)}</p>
      {report.problems.length > 0 && (
        <ul className="integrity-audit-lines">
          {report.problems.map((p) => (
            <li key={`${p.subject}: ${p.problem}`}>
              <strong>
                <UntrustedText text={p.subject} />
              </strong>
              : <UntrustedText text={p.problem} />
            </li>
          ))}
        </ul>
      )}
      {report.notices.length > 0 && (
        <>
          <div className="label">{t('audit.notices')}</div>
          <ul className="integrity-audit-lines">
            {report.notices.map((p) => (
              <li key={`${p.subject}: ${p.problem}`}>
                <strong>
                  <UntrustedText text={p.subject} />
                </strong>
                : <UntrustedText text={p.problem} />
              </li>
            ))}
          </ul>
        </>
      )}
      <CopyButton value={auditText(report)} label={t('storeIntegrity.copyAudit')} />
    </section>
  );
}

/** The verdict in one sentence: clean, or how many differences. */
function auditVerdict(report: AuditReport): string {
  return report.clean
    ? t('storeIntegrity.auditClean')
    : t('storeIntegrity.auditDirty', { count: report.problems.length });
}

/** The audit's result as plain text, one line each, as it is copied for whoever keeps the backups. */
function auditText(report: AuditReport): string {
  const line = (p: AuditReport['problems'][number]) => `- ${p.subject}: ${p.problem}`;
  return [
    auditVerdict(report),
    ...report.problems.map(line),
    ...(report.notices.length > 0 ? [`${t('audit.notices')}:`, ...report.notices.map(line)] : []),
  ].join('\n');
}
