import { groupedFingerprint } from '../../../shared/fingerprint-text.js';
import {
  type BundleVerification,
  LEDGER_HEAD_COVER,
  trustWords,
  untimedItemsLine,
  type VerificationFinding,
} from '../../../shared/verification.js';
import { Icon } from '../components/icons.js';
import { CopyButton, MonoText, UntrustedText, UrlText, withInvisiblesShown } from '../components/text.js';
import { formatCompactTime, formatTime, t } from '../i18n/i18n.js';

/**
 * What `custos verify` warns of on stderr when no expected key was given: the signer's grouped
 * fingerprint, to compare with the one the exporter gave by another channel, and what to do next.
 */
export function SignerNotChecked({ signer, what }: Readonly<{ signer: string; what: 'bundle' | 'wacz' }>) {
  return (
    <section className="warn-box" role="alert" data-testid="signer-warning">
      <strong>{t('verify.signerNotChecked')}</strong>
      <p style={{ margin: '4px 0' }}>
        {t('verify.signerNotCheckedBody', { what: t(what === 'wacz' ? 'verify.aWacz' : 'verify.aBundle') })}
      </p>
      <div className="hash" dir="ltr" data-testid="signer-grouped" style={{ fontSize: 15, margin: '6px 0' }}>
        {groupedFingerprint(signer)}
      </div>
      <p style={{ margin: '4px 0 0' }}>{t('verify.signerNotCheckedThen')}</p>
    </section>
  );
}

/**
 * A finding on a file of a bundle or a remote, "path: problem": the path is a name the sender
 * chose and the problem may quote it, so both are drawn as text from outside (an override in a
 * forged file's name shown as ⟨U+202E⟩).
 */
export function FindingLine({ finding }: Readonly<{ finding: VerificationFinding }>) {
  return (
    <>
      <MonoText text={finding.path} />: <UntrustedText text={finding.problem} />
    </>
  );
}

/** Each warning: a finding that shows no tampering but limits what the file proves. */
export function WarningList({ warnings }: Readonly<{ warnings: readonly VerificationFinding[] }>) {
  if (warnings.length === 0) return null;
  return (
    <section className="warn-box" data-testid="verify-warnings">
      <strong>{t('verify.warnings', { count: warnings.length })}</strong>
      <ul style={{ margin: '4px 0 0', paddingInlineStart: 18 }}>
        {warnings.map((w) => (
          <li key={`${w.path}: ${w.problem}`}>
            <FindingLine finding={w} />
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The evidence hash a valid bundle's report prints on every page, copyable. */
export function EvidenceHash({ hash }: Readonly<{ hash: string | null }>) {
  if (!hash) return null;
  return (
    <>
      <dt>{t('verify.evidence')}</dt>
      <dd>
        <span className="hash" data-testid="evidence-hash" style={{ wordBreak: 'break-all' }}>
          {hash}
        </span>
        <div className="muted" style={{ fontSize: 12 }}>
          {t('verify.evidenceHint')}
        </div>
        <div style={{ marginTop: 4 }}>
          <CopyButton value={hash} />
        </div>
      </dd>
    </>
  );
}

/** Each timestamp token: what it covers, its time, its authority and its trust in the CLI's words. */
export function TimestampTable({ report }: Readonly<{ report: BundleVerification }>) {
  if (report.timestamps.length === 0) return null;
  const sources = new Map(report.items.map((item) => [item.id, item.sourceUrl]));
  return (
    <section className="panel" style={{ marginTop: 14 }} aria-labelledby="tokens-head">
      <div className="panel-head">
        <h3 id="tokens-head">{t('verify.timestamps')}</h3>
      </div>
      <table className="simple-table" data-testid="timestamps">
        <thead>
          <tr>
            <th />
            <th>{t('verify.tokenCovers')}</th>
            <th>{t('verify.tokenTime')}</th>
            <th>{t('verify.tokenAuthority')}</th>
            <th>{t('verify.tokenTrust')}</th>
          </tr>
        </thead>
        <tbody>
          {report.timestamps.map((token) => {
            const trusted = token.trust === 'public' || token.trust === 'recipient-root';
            const source = sources.get(token.covers);
            return (
              <tr key={token.file} data-trusted={trusted} title={withInvisiblesShown(token.file)}>
                <td style={{ color: trusted ? 'var(--good)' : 'var(--warn)' }}>
                  <Icon name={trusted ? 'check' : 'cross'} size={14} />
                </td>
                <td>
                  {token.covers === LEDGER_HEAD_COVER ? (
                    t('verify.ledgerHead')
                  ) : source ? (
                    <UrlText url={source} />
                  ) : (
                    <MonoText text={token.covers} />
                  )}
                </td>
                <td className="mono">{formatTime(token.time)}</td>
                <td dir="auto">
                  <UntrustedText text={token.tsa} />
                </td>
                <td data-testid="token-trust" style={{ color: trusted ? undefined : 'var(--warn)' }}>
                  {trustWords(token.trust, token.rootEntry)}
                  {/* An untrusted authority is said once, in the warnings above; a faulty token here. */}
                  {token.trust === null && token.problem && (
                    <div className="problem">
                      <UntrustedText text={token.problem} />
                    </div>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

/** The bundle's items, each with its check, source, capture time, trusted time and digest. */
export function ItemTable({ report }: Readonly<{ report: BundleVerification }>) {
  const untimed = untimedItemsLine(report);
  return (
    <section className="panel" style={{ marginTop: 14 }}>
      <div className="panel-head">
        <h3>{t('verify.items', { count: report.items.length })}</h3>
      </div>
      {untimed && (
        <div className="warn-box" data-testid="untimed" style={{ margin: '8px 12px' }}>
          {untimed}
        </div>
      )}
      <table className="simple-table" data-testid="verified-items">
        <thead>
          <tr>
            <th />
            <th>{t('verify.itemSource')}</th>
            <th>{t('verify.itemCaptured')}</th>
            <th>{t('verify.itemTrustedTime')}</th>
            <th>{t('verify.itemDigest')}</th>
          </tr>
        </thead>
        <tbody>
          {report.items.map((item) => (
            <tr key={item.id}>
              <td
                className={item.valid ? 'ok' : 'fail'}
                style={{ color: item.valid ? 'var(--good)' : 'var(--bad)' }}
              >
                <Icon name={item.valid ? 'check' : 'cross'} size={14} />
              </td>
              <td>
                <UrlText url={item.sourceUrl} />
              </td>
              <td className="mono">{formatCompactTime(item.capturedAt)}</td>
              <td className="mono" data-testid="trusted-time">
                {item.trustedTime ? (
                  formatCompactTime(item.trustedTime)
                ) : (
                  <span style={{ color: 'var(--warn)' }}>{t('verify.notEstablished')}</span>
                )}
              </td>
              <td className="hash">{item.digest.slice(0, 24)}…</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
