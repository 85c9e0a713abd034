import { useState } from 'react';
import type { ApiProgress, BatchOutcome } from '../../../shared/api.js';
import { completeAddress } from '../../../shared/complete-address.js';
import type { ItemSummary } from '../../../shared/domain.js';
import { Dialog } from '../components/dialog.js';
import { ProgressBar } from '../components/progress-bar.js';
import { UrlText } from '../components/text.js';
import { useJob } from '../hooks/use-job.js';
import { withNewEvidence } from '../hooks/use-selector-hits.js';
import { t, windowSentence } from '../i18n/i18n.js';
import { call } from '../platform/custos.js';
import { pageProgress, stageLabel } from './capture-stages.js';
import { captureWarningText } from './capture-warning-text.js';

/**
 * Splits pasted text into entries: one per line, blanks and repeats dropped, an address typed
 * without its scheme completed (`example.com/x` is `https://example.com/x`). A line of several
 * addresses separated by spaces gives each; any other line with spaces is one entry as written
 * (`not a url`), so that the service names that line, not each of its words.
 */
export function parseUrlList(text: string): string[] {
  const entries = text.split(/\r?\n/).flatMap((line) => {
    const trimmed = line.trim();
    const words = trimmed.split(/\s+/).map(completeAddress);
    return words.length > 1 && words.every((w) => w.includes('://')) ? words : [completeAddress(trimmed)];
  });
  return [...new Set(entries.filter((entry) => entry !== ''))];
}

type RowState = {
  readonly status: 'waiting' | 'running' | 'done' | 'warning' | 'failed' | 'skipped';
  readonly stage?: string;
  readonly message?: string;
};

/**
 * Rows of the batch as the progress events and the final outcome describe them. A line the
 * service could not capture (a malformed address, an unreachable host) is failed with its reason
 * as soon as a progress event names it, and in the outcome.
 */
export function batchRows(
  urls: readonly string[],
  progress: ApiProgress | null,
  outcome: BatchOutcome | null,
): RowState[] {
  const failures = outcome?.failures ?? progress?.failures ?? [];
  return urls.map((url, index) => {
    const failed = failures.find((f) => f.subject === url || f.subject === safeHref(url));
    if (failed) return { status: 'failed', message: failed.message };
    if (outcome) {
      const made = outcome.items.find((i) => i.source === url || i.source === safeHref(url));
      const warning = made && outcome.warnings?.find((w) => w.itemId === made.id);
      if (warning) return { status: 'warning', message: captureWarningText(warning) };
      return { status: made ? 'done' : 'skipped' };
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

/** The pasted list of each case while the app runs: closing the dialog never loses it. */
const drafts = new Map<string, string>();

/**
 * Capture a pasted list of addresses, each with its own progress bar; cancellable. A bad line is
 * named with its reason and the others are captured. The list is kept when the dialog is closed,
 * until its addresses are captured (what failed stays, to be corrected) or it is cleared.
 */
export function BatchCaptureDialog({
  caseRef,
  onClose,
  onCaptured,
}: Readonly<{
  caseRef: string;
  onClose: () => void;
  onCaptured: (items: readonly ItemSummary[]) => void;
}>) {
  const [text, setText] = useState(() => drafts.get(caseRef) ?? '');
  const [urls, setUrls] = useState<readonly string[]>([]);
  const job = useJob((options, list: readonly string[]) =>
    withNewEvidence(call('captureUrls', { caseRef, urls: [...list] }, options)),
  );
  const outcome = job.state.status === 'done' ? job.state.value : null;
  const progress = job.state.status === 'running' ? job.state.progress : null;
  const started = job.state.status !== 'idle';
  const count = parseUrlList(text).length;

  const edit = (value: string) => {
    setText(value);
    if (value.trim() === '') drafts.delete(caseRef);
    else drafts.set(caseRef, value);
  };

  const start = async () => {
    const list = parseUrlList(text);
    if (list.length === 0) return;
    setUrls(list);
    const result = await job.start(list);
    if (!result) return; // refused whole (the error is shown): the list stays as it was
    // What was captured leaves the list; a line that failed or was not attempted stays in it.
    const rows = batchRows(list, null, result);
    const stored = (status: RowState['status'] | undefined) => status === 'done' || status === 'warning';
    edit(list.filter((_, index) => !stored(rows[index]?.status)).join('\n'));
    if (result.items.length > 0) onCaptured(result.items);
  };

  const rows =
    job.state.status === 'failed'
      ? urls.map((): RowState => ({ status: 'skipped' }))
      : batchRows(urls, progress, outcome);
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
            {started ? (
              text.trim() !== '' && (
                <button type="button" className="btn" onClick={job.reset}>
                  {t('batch.edit')}
                </button>
              )
            ) : (
              <>
                <button type="button" className="btn" disabled={text === ''} onClick={() => edit('')}>
                  {t('batch.clear')}
                </button>
                <button type="button" className="btn primary" disabled={count === 0} onClick={start}>
                  {t('batch.start', { count })}
                </button>
              </>
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
            onChange={(e) => edit(e.target.value)}
          />
          <span className="hint">{t('batch.hint')}</span>
        </div>
      ) : (
        <>
          <p className="muted" style={{ marginTop: 0 }} role="status">
            {job.state.status === 'failed'
              ? t('batch.refused')
              : outcome
                ? t((outcome.warnings?.length ?? 0) > 0 ? 'batch.summaryWarned' : 'batch.summary', {
                    done: outcome.items.length,
                    failed: outcome.failures.length,
                    warned: outcome.warnings?.length ?? 0,
                  })
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
                      <div
                        className={row.status === 'warning' ? 'warn-box' : 'error-box'}
                        style={{ margin: '4px 0 0' }}
                      >
                        {row.status === 'failed' ? windowSentence(row.message) : row.message}
                      </div>
                    )}
                  </div>
                  <ProgressBar
                    progress={row.status === 'running' ? pageProgress(row.stage) : { done: 0, total: 1 }}
                    state={
                      row.status === 'done' || row.status === 'warning'
                        ? 'done'
                        : row.status === 'failed'
                          ? 'failed'
                          : 'running'
                    }
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
