import { useState } from 'react';
import type { ApiProgress, BatchOutcome } from '../../../shared/api.js';
import { Dialog } from '../components/dialog.js';
import { ProgressBar } from '../components/progress-bar.js';
import { UrlText } from '../components/text.js';
import { useJob } from '../hooks/use-job.js';
import { t } from '../i18n/i18n.js';
import { call } from '../platform/custos.js';
import { pageProgress, stageLabel } from './capture-stages.js';

/** Splits pasted text into addresses: one per line (or separated by spaces), blanks dropped. */
export function parseUrlList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/\s+/)
        .map((u) => u.trim())
        .filter((u) => u !== ''),
    ),
  ];
}

type RowState = {
  readonly status: 'waiting' | 'running' | 'done' | 'failed' | 'skipped';
  readonly stage?: string;
  readonly message?: string;
};

/** Rows of the batch as the progress events and the final outcome describe them. */
export function batchRows(
  urls: readonly string[],
  progress: ApiProgress | null,
  outcome: BatchOutcome | null,
): RowState[] {
  return urls.map((url, index) => {
    if (outcome) {
      const failed = outcome.failures.find((f) => f.subject === url || f.subject === safeHref(url));
      if (failed) return { status: 'failed', message: failed.message };
      const made = outcome.items.some((i) => i.source === url || i.source === safeHref(url));
      if (made) return { status: 'done' };
      return { status: 'skipped' };
    }
    if (!progress) return { status: index === 0 ? 'running' : 'waiting' };
    if (index < progress.done) return { status: 'done' };
    if (index === progress.done) return { status: 'running', stage: progress.stage };
    return { status: 'waiting' };
  });
}

function safeHref(url: string): string {
  try {
    return new URL(url).href;
  } catch {
    return url;
  }
}

/** Capture a pasted list of addresses, each with its own progress bar; cancellable. */
export function BatchCaptureDialog({
  caseRef,
  onClose,
  onCaptured,
}: Readonly<{ caseRef: string; onClose: () => void; onCaptured: () => void }>) {
  const [text, setText] = useState('');
  const [urls, setUrls] = useState<readonly string[]>([]);
  const job = useJob((options, list: readonly string[]) =>
    call('captureUrls', { caseRef, urls: [...list] }, options),
  );
  const outcome = job.state.status === 'done' ? job.state.value : null;
  const progress = job.state.status === 'running' ? job.state.progress : null;
  const started = job.state.status !== 'idle';

  const start = async () => {
    const list = parseUrlList(text);
    if (list.length === 0) return;
    setUrls(list);
    const result = await job.start(list);
    if (result && result.items.length > 0) onCaptured();
  };

  const rows = batchRows(urls, progress, outcome);
  return (
    <Dialog
      title={t('batch.title')}
      onClose={onClose}
      busy={job.running}
      footer={
        job.running ? (
          <button type="button" className="btn danger" onClick={job.cancel}>
            {t('batch.cancel')}
          </button>
        ) : (
          <>
            <button type="button" className="btn" onClick={onClose}>
              {t('common.close')}
            </button>
            {!started && (
              <button
                type="button"
                className="btn primary"
                disabled={parseUrlList(text).length === 0}
                onClick={start}
              >
                {t('batch.start', { count: parseUrlList(text).length })}
              </button>
            )}
          </>
        )
      }
    >
      {!started ? (
        <div className="field">
          <label htmlFor="batch-urls">{t('batch.urls')}</label>
          <textarea
            id="batch-urls"
            className="textarea mono"
            rows={10}
            dir="ltr"
            value={text}
            placeholder={t('batch.placeholder')}
            onChange={(e) => setText(e.target.value)}
          />
          <span className="hint">{t('batch.hint')}</span>
        </div>
      ) : (
        <>
          <p className="muted" style={{ marginTop: 0 }} role="status">
            {outcome
              ? t('batch.summary', { done: outcome.items.length, failed: outcome.failures.length })
              : t('batch.running', { done: progress?.done ?? 0, total: urls.length })}
            {outcome?.cancelled ? ` ${t('common.cancelledRest')}` : ''}
          </p>
          {job.state.status === 'failed' && <div className="error-box">{job.state.error.message}</div>}
          <div className="batch-list">
            {urls.map((url, index) => {
              const row = rows[index] ?? { status: 'waiting' };
              return (
                <div key={url} className="batch-row" data-status={row.status}>
                  <div style={{ minWidth: 0, overflowWrap: 'anywhere' }}>
                    <UrlText url={url} />
                    {row.message && (
                      <div className="error-box" style={{ margin: '4px 0 0' }}>
                        {row.message}
                      </div>
                    )}
                  </div>
                  <ProgressBar
                    progress={row.status === 'running' ? pageProgress(row.stage) : { done: 0, total: 1 }}
                    state={row.status === 'done' ? 'done' : row.status === 'failed' ? 'failed' : 'running'}
                    label={t('batch.rowProgress', { url })}
                  />
                  <span className="muted">
                    {row.status === 'running' ? t(stageLabel(row.stage)) : t(`batch.status.${row.status}`)}
                  </span>
                </div>
              );
            })}
          </div>
        </>
      )}
    </Dialog>
  );
}
