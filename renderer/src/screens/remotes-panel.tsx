import { useState } from 'react';
import { Icon } from '../components/icons.js';
import { ProgressBar } from '../components/progress-bar.js';
import { RunningButton } from '../components/running-button.js';
import { MonoText, withInvisiblesShown } from '../components/text.js';
import { type Job, useJob } from '../hooks/use-job.js';
import { useLoad } from '../hooks/use-load.js';
import { t } from '../i18n/i18n.js';
import { call } from '../platform/custos.js';
import { useOpenCase } from '../state/app-state.js';
import { FindingLine } from './verify-findings.js';

/**
 * Remotes: the S3 remotes this store knows (added with `custos remote add`), and Push / Pull of the
 * open case to one of them, through the same services as `custos push` and `custos pull`. The app
 * never asks for a credential: the AWS variables or profile of the environment are used.
 */
export function RemotesPanel() {
  const openCase = useOpenCase();
  const remotes = useLoad(() => call('listRemotes', {}), []);
  const push = useJob((options, remote: string) =>
    call('pushCase', { caseRef: openCase.id, remote }, options),
  );
  const pull = useJob((options, remote: string) =>
    call('pullCase', { caseRef: openCase.id, remote }, options),
  );
  // The remote of the last push or pull, which its outcome names.
  const [chosen, setChosen] = useState('');
  const busy = push.running || pull.running;
  const list = remotes.value ?? [];

  return (
    <section className="panel" style={{ marginTop: 14 }} aria-labelledby="remotes-title">
      <div className="panel-head">
        <h3 id="remotes-title">{t('remotes.title')}</h3>
      </div>
      <div className="panel-body">
        <p className="muted" style={{ marginTop: 0 }}>
          {t('remotes.credentials')}
        </p>
        {remotes.error && (
          <div className="error-box" role="alert">
            {remotes.error.message}
          </div>
        )}
        {remotes.value && list.length === 0 && <p className="muted">{t('remotes.none')}</p>}
        {list.length > 0 && (
          <table className="simple-table" aria-label={t('remotes.title')}>
            <thead>
              <tr>
                <th>{t('remotes.name')}</th>
                <th>{t('remotes.location')}</th>
                <th>{t('remotes.endpoint')}</th>
                <th>
                  <span className="sr-only">{t('remotes.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((remote) => (
                <tr key={remote.name}>
                  <td>
                    <MonoText text={remote.name} />
                  </td>
                  <td>
                    <MonoText text={remote.url} />
                  </td>
                  <td>
                    <MonoText text={remote.endpoint ?? t('remotes.awsEndpoint', { region: remote.region })} />
                  </td>
                  <td>
                    <div className="row">
                      <RunningButton
                        className="btn small"
                        running={busy}
                        aria-label={t('remotes.pushTo', { remote: withInvisiblesShown(remote.name) })}
                        onPress={() => {
                          // One outcome at a time: the last push's or pull's, never both.
                          pull.reset();
                          setChosen(remote.name);
                          void push.start(remote.name);
                        }}
                      >
                        {t('remotes.push')}
                      </RunningButton>
                      <RunningButton
                        className="btn small"
                        running={busy}
                        aria-label={t('remotes.pullFrom', { remote: withInvisiblesShown(remote.name) })}
                        onPress={() => {
                          push.reset();
                          setChosen(remote.name);
                          void pull.start(remote.name);
                        }}
                      >
                        {t('remotes.pull')}
                      </RunningButton>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <JobProgress job={push} label={t('remotes.pushing')} />
        <JobProgress
          job={pull}
          label={t('remotes.pulling')}
          refusal={(count) => t('remotes.pullRefused', { count, remote: withInvisiblesShown(chosen) })}
        />
        {push.state.status === 'done' && (
          <div role="status" style={{ marginTop: 14 }}>
            <Icon name="check" size={14} />{' '}
            {push.state.value.changed
              ? t('remotes.pushed', {
                  remote: withInvisiblesShown(push.state.value.remote),
                  count: push.state.value.items,
                  blobs: push.state.value.blobsUploaded,
                  entry: push.state.value.ledgerSeq ?? '—',
                })
              : t('remotes.pushedNothing', { remote: withInvisiblesShown(push.state.value.remote) })}{' '}
            {push.state.value.objectLock ? t('remotes.objectLock') : t('remotes.noObjectLock')}
          </div>
        )}
        {pull.state.status === 'done' && (
          <div role="status" style={{ marginTop: 14 }}>
            <Icon name="check" size={14} />{' '}
            {t('remotes.pulled', { remote: withInvisiblesShown(pull.state.value.remote) })}
            <ul style={{ margin: '6px 0 0', paddingInlineStart: 18 }}>
              {pull.state.value.segments.map((seg) => (
                <li key={seg.signer}>
                  {t(seg.new ? 'remotes.segmentNew' : 'remotes.segmentKnown', {
                    investigator: withInvisiblesShown(seg.investigator),
                    count: seg.items.length,
                  })}{' '}
                  <span className="hash">{seg.signer.slice(0, 16)}…</span>
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
    </section>
  );
}

/**
 * A running push or pull's progress bar, or its failure: the service's message, or for a refusal
 * that lists problems, one line saying what happened and what to do (`refusal`) and the objects
 * named in a list the investigator opens.
 */
function JobProgress({
  job,
  label,
  refusal,
}: Readonly<{ job: Job<[string], unknown>; label: string; refusal?: (count: number) => string }>) {
  if (job.state.status === 'failed') {
    const { found, message } = job.state.error;
    if (!found || !refusal)
      return (
        <div className="error-box" role="alert">
          {message}
        </div>
      );
    return (
      <div className="error-box" role="alert">
        <strong>{refusal(found.problems.length)}</strong>
        <details className="found-problems">
          <summary>{t('remotes.refusedObjects', { count: found.problems.length })}</summary>
          <ul>
            {found.problems.map((p) => (
              <li key={`${p.path}: ${p.problem}`}>
                <FindingLine finding={p} />
              </li>
            ))}
          </ul>
        </details>
      </div>
    );
  }
  if (job.state.status !== 'running') return null;
  const progress = job.state.progress;
  return (
    <div style={{ marginTop: 14 }} role="status">
      <div className="muted" style={{ marginBottom: 6 }}>
        {progress && progress.total > 0
          ? t('remotes.progress', { done: progress.done, total: progress.total })
          : t('remotes.connecting')}
      </div>
      <ProgressBar progress={progress} label={label} />
    </div>
  );
}
