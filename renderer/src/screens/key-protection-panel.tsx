import { useState } from 'react';
import type { KeyProtectionView } from '../../../shared/api.js';
import { useNotice } from '../components/notices.js';
import { RunningButton } from '../components/running-button.js';
import { useLoad } from '../hooks/use-load.js';
import { t } from '../i18n/i18n.js';
import { call } from '../platform/custos.js';

/**
 * Key protection: the signing key kept as a file (the app and the `custos` command both sign), or
 * sealed by the desktop app's OS keychain (only the app signs; the command still reads, audits and
 * verifies). Switching says what it changes, and can always be undone here.
 */
export function KeyProtectionPanel() {
  const notice = useNotice();
  const loaded = useLoad(() => call('getKeyProtection', {}), []);
  const [view, setView] = useState<KeyProtectionView | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const current = view ?? loaded.value;
  const sealed = current?.state === 'keychain';

  const toggle = async () => {
    if (!current || busy) return;
    setBusy(true);
    try {
      const next = await call('setKeyProtection', { protect: !sealed });
      setView(next);
      setError(null);
      notice({
        tone: 'good',
        title: next.state === 'keychain' ? t('keys.sealedNotice') : t('keys.fileNotice'),
      });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="key-protection-head">
      <div className="panel-head">
        <h3 id="key-protection-head">{t('keys.title')}</h3>
        <span className="spacer" />
        {current && (
          <span className="muted" data-testid="key-protection-state">
            {sealed
              ? t('keys.stateKeychain')
              : current.state === 'file'
                ? t('keys.stateFile')
                : t('keys.stateNone')}
          </span>
        )}
      </div>
      <div className="panel-body">
        <p style={{ marginTop: 0 }}>{sealed ? t('keys.explainKeychain') : t('keys.explainFile')}</p>
        {current && !current.available && current.reason && (
          <p className="muted" role="note">
            {t('keys.unavailable', { reason: current.reason })}
          </p>
        )}
        <RunningButton
          running={busy}
          disabled={
            !busy && (!current?.available || (current.state !== 'file' && current.state !== 'keychain'))
          }
          onPress={() => void toggle()}
        >
          {sealed ? t('keys.turnOff') : t('keys.turnOn')}
        </RunningButton>
        {error && (
          <div className="error-box" role="alert">
            {error}
          </div>
        )}
      </div>
    </section>
  );
}
