import { Icon } from '../components/icons.js';
import { ProgressBar } from '../components/progress-bar.js';
import { UntrustedText } from '../components/text.js';
import { useJob } from '../hooks/use-job.js';
import { formatBytes, formatNumber, t } from '../i18n/i18n.js';
import { call } from '../platform/custos.js';

/** "Audit store": re-hash everything, walk the ledger, and say plainly what differs. */
export function AuditScreen() {
  const job = useJob((options) => call('auditStore', {}, options));
  const report = job.state.status === 'done' ? job.state.value : null;
  const progress = job.state.status === 'running' ? job.state.progress : null;
  return (
    <>
      <div className="screen-head">
        <div>
          <h1>{t('audit.title')}</h1>
          <div className="sub">{t('audit.subtitle')}</div>
        </div>
        <span className="spacer" />
        {job.running ? (
          <button type="button" className="btn" onClick={job.cancel}>
            {t('common.cancel')}
          </button>
        ) : (
          <button type="button" className="btn primary" onClick={() => void job.start()}>
            <Icon name="audit" size={14} />
            {report ? t('audit.again') : t('audit.run')}
          </button>
        )}
      </div>
      <div className="screen-body">
        {job.state.status === 'idle' && (
          <div className="panel">
            <div className="panel-body">
              <p style={{ marginTop: 0 }}>{t('audit.explain')}</p>
              <ul className="muted" style={{ margin: 0 }}>
                <li>{t('audit.check.database')}</li>
                <li>{t('audit.check.blobs')}</li>
                <li>{t('audit.check.digests')}</li>
                <li>{t('audit.check.ledger')}</li>
              </ul>
            </div>
          </div>
        )}
        {job.running && (
          <div className="panel">
            <div className="panel-body">
              <p style={{ marginTop: 0 }} role="status">
                {progress && progress.total > 0
                  ? t('audit.progress', {
                      done: formatBytes(progress.done),
                      total: formatBytes(progress.total),
                    })
                  : t('audit.starting')}
              </p>
              {progress?.restarted && <p className="muted">{t('audit.restarted')}</p>}
              <ProgressBar progress={progress} label={t('audit.progressLabel')} />
            </div>
          </div>
        )}
        {job.state.status === 'failed' && <div className="error-box">{job.state.error.message}</div>}
        {report && (
          <>
            <div className={`verdict ${report.clean ? 'good' : 'bad'}`} role="status">
              <Icon name={report.clean ? 'check' : 'cross'} size={20} />
              {report.clean ? t('audit.clean') : t('audit.dirty', { count: report.problems.length })}
            </div>
            <div className="stat-grid" style={{ margin: '14px 0' }}>
              <Stat label={t('audit.items')} value={formatNumber(report.counts.items)} />
              <Stat label={t('audit.artifacts')} value={formatNumber(report.counts.artifacts)} />
              <Stat label={t('audit.blobs')} value={formatNumber(report.counts.blobs)} />
              <Stat label={t('audit.bytes')} value={formatBytes(report.counts.bytes)} />
              <Stat label={t('audit.entries')} value={formatNumber(report.counts.ledgerEntries)} />
            </div>
            {report.problems.length > 0 && (
              <section className="panel">
                <div className="panel-head">
                  <h3>{t('audit.problems')}</h3>
                </div>
                <ul className="checks">
                  {report.problems.map((p) => (
                    <li key={`${p.subject}: ${p.problem}`}>
                      <span className="fail">
                        <Icon name="cross" />
                      </span>
                      <div>
                        <strong className="mono">
                          <UntrustedText text={p.subject} />
                        </strong>
                        <div className="problem">
                          <UntrustedText text={p.problem} />
                        </div>
                      </div>
                    </li>
                  ))}
                </ul>
              </section>
            )}
            {report.notices.length > 0 && (
              <section className="panel">
                <div className="panel-head">
                  <h3>{t('audit.notices')}</h3>
                </div>
                <ul className="checks">
                  {report.notices.map((p) => (
                    <li key={`${p.subject}: ${p.problem}`}>
                      <span className="muted">i</span>
                      <div>
                        <strong className="mono">
                          <UntrustedText text={p.subject} />
                        </strong>
                        <div className="muted">
                          <UntrustedText text={p.problem} />
                        </div>
                      </div>
                    </li>
                  ))}
                </ul>
              </section>
            )}
          </>
        )}
      </div>
    </>
  );
}

function Stat({ label, value }: Readonly<{ label: string; value: string }>) {
  return (
    <div className="stat">
      <div className="value">{value}</div>
      <div className="label">{label}</div>
    </div>
  );
}
