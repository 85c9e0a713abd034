import { useEffect, useState } from 'react';
import { caseFileStem } from '../../../shared/file-names.js';
import { Icon } from '../components/icons.js';
import { ProgressBar } from '../components/progress-bar.js';
import { RunningButton } from '../components/running-button.js';
import { CaseName, CopyButton } from '../components/text.js';
import { useJob } from '../hooks/use-job.js';
import { useLoad } from '../hooks/use-load.js';
import { formatBytes, t } from '../i18n/i18n.js';
import { call, canChooseSavePath, chooseSavePath } from '../platform/custos.js';
import { useOpenCase } from '../state/app-state.js';
import { selectionOf } from '../state/case-selection.js';
import { RemotesPanel } from './remotes-panel.js';

/** What the export writes: a sealed bundle, or a signed WACZ web archive of the page captures. */
export type ExportFormat = 'bundle' | 'wacz';

/** The file name ending each format needs (the WACZ specification requires .wacz). */
const EXTENSION: Readonly<Record<ExportFormat, string>> = { bundle: 'zip', wacz: 'wacz' };

/** A file name for a new bundle: the case number and the time, so two exports never collide. */
export function suggestedBundleName(caseNumber: string, now = new Date()): string {
  const stamp = now.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  return `${caseFileStem(caseNumber)}-${stamp}.zip`;
}

/** The destination with its ending changed to the format's, when it has the other format's ending. */
function withFormatExtension(out: string, format: ExportFormat): string {
  return out.replace(/\.(zip|wacz)$/i, `.${EXTENSION[format]}`);
}

/** Export: the whole case or the selected items, to a sealed bundle or a WACZ; its hash shown large. */
export function ExportScreen({ itemIds: chosen }: Readonly<{ itemIds?: readonly string[] }>) {
  const openCase = useOpenCase();
  const settings = useLoad(() => call('getSettings', {}), []);
  // The items the list's button sent, else those selected in the list when Export was opened otherwise.
  const [itemIds] = useState(() => (chosen && chosen.length > 0 ? chosen : selectionOf(openCase.id)));
  const [scope, setScope] = useState<'case' | 'selected'>(chosen && chosen.length > 0 ? 'selected' : 'case');
  const [format, setFormat] = useState<ExportFormat>('bundle');
  const [browseError, setBrowseError] = useState<string | null>(null);
  const browse = async () => {
    setBrowseError(null);
    try {
      const path = await chooseSavePath({ defaultPath: out, extensions: [EXTENSION[format]] });
      if (path) setOut(path);
    } catch (error) {
      setBrowseError((error as Error).message);
    }
  };
  const [out, setOut] = useState('');
  useEffect(() => {
    if (settings.value && out === '')
      setOut(`${settings.value.exportDir}/${suggestedBundleName(openCase.number)}`);
  }, [settings.value, out, openCase.number]);
  // A cancelled export leaves nothing behind: no bundle, no temporary file, no custody entry.
  const chooseFormat = (next: ExportFormat) => {
    setFormat(next);
    setOut((current) => withFormatExtension(current, next));
  };
  const job = useJob(
    (options, kind: ExportFormat, destination: string, items: readonly string[] | undefined) => {
      const input = { caseRef: openCase.id, out: destination, itemIds: items ? [...items] : undefined };
      // The result remembers its format: its panel still says what was written if the choice changes.
      const written =
        kind === 'wacz' ? call('exportWacz', input, options) : call('exportBundle', input, options);
      return written.then((outcome) => ({ ...outcome, format: kind }));
    },
  );
  const result = job.state.status === 'done' ? job.state.value : null;
  const progress = job.state.status === 'running' ? job.state.progress : null;

  return (
    <>
      <div className="screen-head">
        <div>
          <h1>{t('export.title')}</h1>
          <CaseName value={openCase} className="sub" />
        </div>
      </div>
      <div className="screen-body">
        <div className="two-col wide-first">
          <section className="panel">
            <div className="panel-head">
              <h3>{t('export.what')}</h3>
            </div>
            <div className="panel-body">
              <fieldset style={{ border: 0, padding: 0, margin: '0 0 12px' }} disabled={job.running}>
                <legend className="sr-only">{t('export.what')}</legend>
                <label className="row" style={{ marginBottom: 6 }}>
                  <input
                    type="radio"
                    name="scope"
                    checked={scope === 'case'}
                    onChange={() => setScope('case')}
                  />
                  {t('export.wholeCase')}
                </label>
                <label className="row">
                  <input
                    type="radio"
                    name="scope"
                    disabled={itemIds.length === 0}
                    checked={scope === 'selected'}
                    onChange={() => setScope('selected')}
                  />
                  {itemIds.length > 0
                    ? t('export.selected', { count: itemIds.length })
                    : t('export.selectedNone')}
                </label>
              </fieldset>
              <fieldset style={{ border: 0, padding: 0, margin: '0 0 12px' }} disabled={job.running}>
                <legend className="muted">{t('export.format')}</legend>
                <label className="row" style={{ marginBottom: 6 }}>
                  <input
                    type="radio"
                    name="format"
                    checked={format === 'bundle'}
                    onChange={() => chooseFormat('bundle')}
                  />
                  {t('export.format.bundle')}
                </label>
                <label className="row">
                  <input
                    type="radio"
                    name="format"
                    checked={format === 'wacz'}
                    onChange={() => chooseFormat('wacz')}
                  />
                  {t('export.format.wacz')}
                </label>
              </fieldset>
              <div className="field">
                <label htmlFor="export-out">
                  {t(format === 'wacz' ? 'export.destinationWacz' : 'export.destination')}
                </label>
                <div className="input-with-button">
                  <input
                    id="export-out"
                    className="input mono"
                    dir="ltr"
                    value={out}
                    title={out}
                    disabled={job.running}
                    onChange={(e) => setOut(e.target.value)}
                  />
                  {canChooseSavePath() && (
                    <button
                      type="button"
                      className="btn"
                      disabled={job.running}
                      onClick={() => void browse()}
                    >
                      {t('export.browse')}
                    </button>
                  )}
                </div>
                {browseError && (
                  <div className="error-box" role="alert">
                    {browseError}
                  </div>
                )}
                <span className="hint">
                  {t(format === 'wacz' ? 'export.destinationHintWacz' : 'export.destinationHint')}
                </span>
              </div>
              <div className="row">
                <RunningButton
                  className="btn primary"
                  running={job.running}
                  disabled={!job.running && out.trim() === ''}
                  onPress={() =>
                    void job.start(format, out.trim(), scope === 'selected' ? itemIds : undefined)
                  }
                >
                  <Icon name="export" size={14} />
                  {format === 'wacz' ? t('export.startWacz') : t('export.start')}
                </RunningButton>
              </div>
              {job.running && (
                <div style={{ marginTop: 14 }} role="status">
                  <div className="muted" style={{ marginBottom: 6 }}>
                    {progress?.stage === 'printing'
                      ? t('export.printing', { total: formatBytes(progress.total) })
                      : progress && progress.total > 0
                        ? t('export.progress', {
                            done: formatBytes(progress.done),
                            total: formatBytes(progress.total),
                          })
                        : t('export.preparing')}
                  </div>
                  <div className="progress-row">
                    <ProgressBar progress={progress} label={t('export.progressLabel')} />
                    {/* A WACZ is written in one step by the core service, which takes no cancel. */}
                    {format === 'bundle' && (
                      <button type="button" className="btn small" onClick={job.cancel}>
                        {t('export.cancel')}
                      </button>
                    )}
                  </div>
                </div>
              )}
              {job.state.status === 'failed' && job.state.error.kind === 'cancelled' && (
                <div className="muted" role="status" style={{ marginTop: 14 }}>
                  {t('export.cancelled')}
                </div>
              )}
              {job.state.status === 'failed' && job.state.error.kind !== 'cancelled' && (
                <div className="error-box" role="alert">
                  {job.state.error.message}
                </div>
              )}
            </div>
          </section>
          <section className="panel">
            <div className="panel-head">
              <h3>{t(format === 'wacz' ? 'export.containsWacz' : 'export.contains')}</h3>
            </div>
            <div className="panel-body muted">
              {format === 'bundle' ? (
                <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                  <li>{t('export.has.artifacts')}</li>
                  <li>{t('export.has.manifest')}</li>
                  <li>{t('export.has.custody')}</li>
                  <li>{t('export.has.report')}</li>
                  <li>{t('export.has.verify')}</li>
                </ul>
              ) : (
                <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                  <li>{t('export.wacz.pages')}</li>
                  <li>{t('export.wacz.signed')}</li>
                  <li>{t('export.wacz.replay')}</li>
                </ul>
              )}
            </div>
          </section>
        </div>
        {result && (
          <section className="panel" style={{ marginTop: 14 }} aria-labelledby="export-done">
            <div className="panel-head">
              <Icon name="check" />
              <h2 id="export-done">
                {t(result.format === 'wacz' ? 'export.doneWacz' : 'export.done', {
                  count: result.items.length,
                })}
              </h2>
              <span className="spacer" />
              <CopyButton value={result.sha256} label={t('export.copyHash')} />
            </div>
            <div className="panel-body">
              <div className="muted" style={{ marginBottom: 6 }}>
                {t(result.format === 'wacz' ? 'export.hashLabelWacz' : 'export.hashLabel')}
              </div>
              <div className="big-hash" data-testid="bundle-hash">
                {result.sha256}
              </div>
              <dl className="kv" style={{ marginTop: 14 }}>
                <dt>{t('export.file')}</dt>
                <dd className="mono">{result.file}</dd>
                <dt>{t('export.size')}</dt>
                <dd>{formatBytes(result.size)}</dd>
                <dt>{t('export.signer')}</dt>
                <dd className="hash">{result.signer}</dd>
                <dt>{t('export.entry')}</dt>
                <dd>#{result.ledgerSeq}</dd>
              </dl>
            </div>
          </section>
        )}
        <RemotesPanel />
      </div>
    </>
  );
}
