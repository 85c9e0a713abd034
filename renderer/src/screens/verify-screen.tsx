import { type DragEvent, useState } from 'react';
import type { ReceiveOutcome, WaczVerification } from '../../../shared/api.js';
import { waczTrustWords } from '../../../shared/verification.js';
import { Icon } from '../components/icons.js';
import { useClearNotices, useNotice } from '../components/notices.js';
import { ProgressBar } from '../components/progress-bar.js';
import { RunningButton } from '../components/running-button.js';
import { BidiText, CopyButton, UntrustedText } from '../components/text.js';
import { useJob } from '../hooks/use-job.js';
import { withNewEvidence } from '../hooks/use-selector-hits.js';
import { formatTime, t } from '../i18n/i18n.js';
import { call, pathForFile } from '../platform/custos.js';
import { useAppState } from '../state/app-state.js';
import { type BundleCheck, bundleChecks, waczChecks } from './verify-checks.js';
import {
  EvidenceHash,
  FindingLine,
  ItemTable,
  SignerNotChecked,
  TimestampTable,
  WarningList,
} from './verify-findings.js';

/** A file the user chose: its name as shown and its path for the core. */
interface ChosenFile {
  readonly name: string;
  readonly path: string;
}

/** The verdict's colour: green only when valid and signed by the key the recipient expected. */
function verdictTone(result: Readonly<{ valid: boolean; signerChecked: boolean }>): string {
  if (!result.valid) return 'bad';
  return result.signerChecked ? 'good' : 'warn';
}

/** Whether the chosen file is a WACZ: by its name, as `custos verify` decides first. */
export function isWaczName(name: string): boolean {
  return /\.wacz$/i.test(name);
}

/** The checks of a bundle or a WACZ: green, or red with each problem's file named. */
function CheckList({ checks }: Readonly<{ checks: readonly BundleCheck[] }>) {
  return (
    <section className="panel" aria-labelledby="checks-head">
      <div className="panel-head">
        <h3 id="checks-head">{t('verify.checks')}</h3>
      </div>
      <ul className="checks">
        {checks.map((check) => (
          <li key={check.id} data-check={check.id} data-ok={check.problems.length === 0}>
            <span className={check.problems.length === 0 ? 'ok' : 'fail'}>
              <Icon name={check.problems.length === 0 ? 'check' : 'cross'} />
            </span>
            <div>
              {t(check.label)}
              {check.problems.map((p) => (
                <div key={`${p.path}: ${p.problem}`} className="problem">
                  <FindingLine finding={p} />
                </div>
              ))}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The signer key, breakable and copyable. */
function SignerValue({ signer, checked }: Readonly<{ signer: string | null; checked: boolean }>) {
  return (
    <dd>
      <span className="hash" data-testid="signer" style={{ wordBreak: 'break-all' }}>
        {signer ?? t('verify.noSigner')}
      </span>
      {checked && (
        <div className="hint" data-testid="signer-expected" style={{ color: 'var(--good)' }}>
          <Icon name="check" size={12} /> {t('verify.signerExpected')}
        </div>
      )}
      {signer && (
        <div style={{ marginTop: 4 }}>
          <CopyButton value={signer} />
        </div>
      )}
    </dd>
  );
}

/** What the case row needs of a case: the number and title it is known by. */
type NamedCase = Readonly<{ number: string; title: string }>;

/** The case a bundle or a WACZ names: its number and title, or a dash when it names none. */
function CaseValue({ value }: Readonly<{ value: NamedCase | null }>) {
  return (
    <dd>
      {value ? (
        <>
          <span className="mono">
            <UntrustedText text={value.number} />
          </span>{' '}
          · <BidiText text={value.title} />
        </>
      ) : (
        '—'
      )}
    </dd>
  );
}

/** What a WACZ says of itself once verified: case, signer, pages, files and its timestamp. */
function WaczResult({ report }: Readonly<{ report: WaczVerification }>) {
  return (
    <div className="two-col" style={{ marginTop: 14 }}>
      <CheckList checks={waczChecks(report)} />
      <section className="panel" aria-labelledby="wacz-head">
        <div className="panel-head">
          <h3 id="wacz-head">{t('verify.wacz')}</h3>
        </div>
        <div className="panel-body">
          <dl className="kv">
            <dt>{t('verify.case')}</dt>
            <CaseValue value={report.case} />
            <dt>{t('verify.waczVersion')}</dt>
            <dd>{report.waczVersion ?? '—'}</dd>
            <dt>{t('verify.created')}</dt>
            <dd>{report.created ? formatTime(report.created) : '—'}</dd>
            <dt>{t('verify.signer')}</dt>
            <SignerValue signer={report.signer} checked={report.signerChecked} />
            <dt>{t('verify.pages')}</dt>
            <dd>{report.pages}</dd>
            <dt>{t('verify.files')}</dt>
            <dd>{report.resources}</dd>
            <dt>{t('verify.timestamp')}</dt>
            <dd>
              {report.timestamp
                ? `${report.timestamp.tsa}${report.timestamp.time ? ` · ${formatTime(report.timestamp.time)}` : ''} (${waczTrustWords(report.timestamp)})`
                : t('verify.noTimestamp')}
            </dd>
          </dl>
        </div>
      </section>
    </div>
  );
}

/** What a receive did, in one sentence: new items, items already held, or nothing at all. */
export function receiveSummary(outcome: ReceiveOutcome): string {
  if (outcome.alreadyReceived) return t('receive.already');
  const imported = outcome.items.filter((i) => i.status === 'imported').length;
  const held = outcome.items.length - imported;
  return [t('receive.done', { count: imported }), held > 0 ? t('receive.held', { count: held }) : '']
    .filter(Boolean)
    .join(' ');
}

/** Verify and receive: drop a bundle, see every check, the signer and the items; take it in. */
export function VerifyScreen() {
  const notice = useNotice();
  const clearNotices = useClearNotices();
  const { setOpenCase, navigate } = useAppState();
  const [file, setFile] = useState<{ name: string; path: string } | null>(null);
  const [expectSigner, setExpectSigner] = useState('');
  // The recipient's own root files (`--tsa-roots`): read by the core, never taken from the bundle.
  const [roots, setRoots] = useState<readonly ChosenFile[]>([]);
  const [dragging, setDragging] = useState(false);
  const verify = useJob(
    async (options, target: Readonly<{ file: ChosenFile; roots: readonly ChosenFile[] }>) => {
      setFile(target.file);
      const input = {
        path: target.file.path,
        expectSigner: expectSigner.trim() || null,
        tsaRoots: target.roots.map((root) => root.path),
      };
      // A WACZ gets the WACZ checks (`custos verify FILE.wacz`); it is not received, only verified.
      if (isWaczName(target.file.name)) return { wacz: await call('verifyWacz', input, options) };
      return { bundle: await call('verifyBundle', input, options) };
    },
  );
  const receive = useJob((options, path: string) =>
    withNewEvidence(call('receiveBundle', { path, expectSigner: expectSigner.trim() || null }, options)),
  );
  const verified = verify.state.status === 'done' ? verify.state.value : null;
  const report = verified?.bundle ?? null;
  const wacz = verified?.wacz ?? null;

  const start = (chosen: ChosenFile, withRoots: readonly ChosenFile[]) => {
    // A new result replaces the last one's notices ("Received…" beside an INVALID verdict misleads).
    clearNotices();
    receive.reset();
    void verify.start({ file: chosen, roots: withRoots });
  };
  const choose = async (bundle: File | undefined) => {
    if (!bundle || verify.running) return;
    start({ name: bundle.name, path: await pathForFile(bundle) }, roots);
  };
  const chooseRoots = async (list: FileList | null) => {
    if (!list || list.length === 0 || verify.running) return;
    const chosen = await Promise.all(
      [...list].map(async (root) => ({ name: root.name, path: await pathForFile(root) })),
    );
    setRoots(chosen);
    // Roots change what the tokens prove: the file on screen is verified again with them.
    if (file) start(file, chosen);
  };
  const clearRoots = () => {
    setRoots([]);
    if (file && !verify.running) start(file, []);
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    void choose(event.dataTransfer.files[0]);
  };
  const doReceive = async () => {
    if (!file) return;
    const outcome = await receive.start(file.path);
    if (!outcome) return;
    notice({
      tone: 'good',
      title: receiveSummary(outcome),
      body: t('receive.entry', { seq: outcome.ledgerSeq }),
    });
  };

  return (
    <>
      <div className="screen-head">
        <div>
          <h1>{t('verify.title')}</h1>
          <div className="sub">{t('verify.subtitle')}</div>
        </div>
      </div>
      <div className="screen-body">
        <div className="two-col">
          {/* biome-ignore lint/a11y/noStaticElementInteractions: the drop target; the button inside is the keyboard path */}
          <div
            className={`dropzone ${dragging ? 'active' : ''}`}
            onDragOver={(e) => {
              e.preventDefault();
              setDragging(true);
            }}
            onDragLeave={() => setDragging(false)}
            onDrop={onDrop}
            data-testid="bundle-drop"
          >
            <Icon name="verify" size={30} />
            <strong>{t('verify.drop')}</strong>
            <label className="btn">
              {t('verify.choose')}
              <input
                type="file"
                accept=".zip,.age,.wacz"
                className="sr-only"
                onChange={(e) => {
                  void choose(e.target.files?.[0]);
                  e.target.value = '';
                }}
              />
            </label>
            {file && <BidiText text={file.name} className="mono muted" />}
          </div>
          <div className="panel">
            <div className="panel-body">
              <div className="field" style={{ marginBottom: 0 }}>
                <label htmlFor="expect-signer">{t('verify.expectSigner')}</label>
                <input
                  id="expect-signer"
                  className="input mono"
                  dir="ltr"
                  value={expectSigner}
                  placeholder={t('verify.expectSignerExample')}
                  onChange={(e) => setExpectSigner(e.target.value)}
                />
                <span className="hint">{t('verify.expectSignerHint')}</span>
              </div>
              <div className="field" style={{ marginTop: 12, marginBottom: 0 }}>
                <span className="field-label" id="tsa-roots-label">
                  {t('verify.tsaRoots')}
                </span>
                <div className="row" style={{ flexWrap: 'wrap', gap: 8 }}>
                  <label className="btn small">
                    {t('verify.chooseRoots')}
                    <input
                      type="file"
                      multiple
                      accept=".pem,.crt,.cer"
                      className="sr-only"
                      aria-describedby="tsa-roots-label"
                      data-testid="tsa-roots-input"
                      onChange={(e) => {
                        void chooseRoots(e.target.files);
                        e.target.value = '';
                      }}
                    />
                  </label>
                  {roots.length > 0 && (
                    <>
                      <span className="mono muted" data-testid="tsa-roots">
                        {roots.map((root) => root.name).join(', ')}
                      </span>
                      <button type="button" className="btn small" onClick={clearRoots}>
                        {t('verify.clearRoots')}
                      </button>
                    </>
                  )}
                </div>
                <span className="hint">{t('verify.tsaRootsHint')}</span>
              </div>
              {file && (
                <div style={{ marginTop: 12 }}>
                  <RunningButton running={verify.running} onPress={() => start(file, roots)}>
                    {t('verify.again')}
                  </RunningButton>
                </div>
              )}
            </div>
          </div>
        </div>
        {verify.running && (
          <div className="panel" style={{ marginTop: 14 }}>
            <div className="panel-body row">
              <span style={{ flex: 1 }}>
                <ProgressBar progress={null} label={t('verify.progressLabel')} />
              </span>
              <button type="button" className="btn small" onClick={verify.cancel}>
                {t('common.cancel')}
              </button>
            </div>
          </div>
        )}
        {verify.state.status === 'failed' && (
          <div className="error-box" role="alert">
            {verify.state.error.message}
          </div>
        )}
        {wacz && (
          <div style={{ marginTop: 14 }}>
            <div className={`verdict ${verdictTone(wacz)}`} role="status" data-testid="verdict">
              <Icon name={wacz.valid ? 'check' : 'cross'} size={20} />
              {wacz.valid
                ? t(wacz.signerChecked ? 'verify.waczValid' : 'verify.waczValidUnchecked')
                : t('verify.invalid', { count: wacz.problems.length })}
            </div>
            {!wacz.signerChecked && wacz.signer && <SignerNotChecked signer={wacz.signer} what="wacz" />}
            <WarningList warnings={wacz.warnings} />
            <WaczResult report={wacz} />
          </div>
        )}
        {report && (
          <div style={{ marginTop: 14 }}>
            <div className={`verdict ${verdictTone(report)}`} role="status" data-testid="verdict">
              <Icon name={report.valid ? 'check' : 'cross'} size={20} />
              {report.valid
                ? t(report.signerChecked ? 'verify.valid' : 'verify.validUnchecked')
                : t('verify.invalid', { count: report.problems.length })}
              <span className="spacer" style={{ flex: 1 }} />
              {report.valid && (
                <RunningButton
                  className="btn primary"
                  running={receive.running}
                  onPress={() => void doReceive()}
                >
                  {t('receive.button')}
                </RunningButton>
              )}
            </div>
            {!report.signerChecked && report.signer && (
              <SignerNotChecked signer={report.signer} what="bundle" />
            )}
            <WarningList warnings={report.warnings} />
            {receive.state.status === 'failed' && (
              <div className="error-box">{receive.state.error.message}</div>
            )}
            {receive.state.status === 'done' && (
              <div className="ok-box row">
                <span style={{ flex: 1 }}>
                  {receiveSummary(receive.state.value)}{' '}
                  {t('receive.entry', { seq: receive.state.value.ledgerSeq })}
                </span>
                <button
                  type="button"
                  className="btn small"
                  onClick={async () => {
                    const value = receive.state.status === 'done' ? receive.state.value : null;
                    if (!value) return;
                    setOpenCase(await call('getCase', { caseRef: value.case.id }));
                    navigate({ screen: 'evidence' });
                  }}
                >
                  {t('receive.open')}
                </button>
              </div>
            )}
            <div className="two-col" style={{ marginTop: 14 }}>
              <CheckList checks={bundleChecks(report)} />
              <section className="panel" aria-labelledby="bundle-head">
                <div className="panel-head">
                  <h3 id="bundle-head">{t('verify.bundle')}</h3>
                </div>
                <div className="panel-body">
                  <dl className="kv">
                    <dt>{t('verify.case')}</dt>
                    <CaseValue value={report.case} />
                    <dt>{t('verify.exporter')}</dt>
                    <dd>
                      {report.exporter
                        ? [report.exporter.name, report.exporter.agency, report.exporter.badge]
                            .filter(Boolean)
                            .join(' · ')
                        : '—'}
                    </dd>
                    <dt>{t('verify.exportedAt')}</dt>
                    <dd>{report.exportedAt ? formatTime(report.exportedAt) : '—'}</dd>
                    <dt>{t('verify.signer')}</dt>
                    <SignerValue signer={report.signer} checked={report.signerChecked} />
                    <EvidenceHash hash={report.evidenceSha256} />
                    <dt>{t('verify.files')}</dt>
                    <dd>{report.files}</dd>
                    <dt>{t('verify.timestamps')}</dt>
                    <dd>{report.timestamps.length}</dd>
                  </dl>
                </div>
              </section>
            </div>
            <TimestampTable report={report} />
            <ItemTable report={report} />
          </div>
        )}
      </div>
    </>
  );
}
