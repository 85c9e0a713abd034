import { useEffect, useState } from 'react';
import { useNotice } from '../components/notices.js';
import { useLoad } from '../hooks/use-load.js';
import { t } from '../i18n/i18n.js';
import { call } from '../platform/custos.js';

/** Settings: where the evidence lives, time-stamping authorities, personas, capture defaults. */
export function SettingsScreen() {
  const settings = useLoad(() => call('getSettings', {}), []);
  const notice = useNotice();
  const [authorities, setAuthorities] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (settings.value) setAuthorities(settings.value.authorities.join('\n'));
  }, [settings.value]);
  const s = settings.value;

  const save = async () => {
    try {
      const saved = await call('setAuthorities', {
        urls: authorities
          .split('\n')
          .map((u) => u.trim())
          .filter((u) => u !== ''),
      });
      setError(null);
      setAuthorities(saved.join('\n'));
      notice({ tone: 'good', title: t('settings.authoritiesSaved', { count: saved.length }) });
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <>
      <div className="screen-head">
        <h1>{t('settings.title')}</h1>
      </div>
      <div className="screen-body">
        {settings.error && <div className="error-box">{settings.error.message}</div>}
        {s && (
          <div className="two-col">
            <div>
              <section className="panel">
                <div className="panel-head">
                  <h3>{t('settings.store')}</h3>
                </div>
                <div className="panel-body">
                  <dl className="kv">
                    <dt>{t('settings.storeDir')}</dt>
                    <dd className="mono">{s.storeDir}</dd>
                    <dt>{t('settings.exportDir')}</dt>
                    <dd className="mono">{s.exportDir}</dd>
                  </dl>
                  <p className="faint" style={{ marginBottom: 0, fontSize: 12 }}>
                    {t('settings.storeHint')}
                  </p>
                </div>
              </section>
              <section className="panel">
                <div className="panel-head">
                  <h3>{t('settings.capture')}</h3>
                </div>
                <div className="panel-body">
                  <dl className="kv">
                    <dt>{t('settings.viewport')}</dt>
                    <dd>
                      {s.capture.viewport.width} × {s.capture.viewport.height} px
                    </dd>
                    <dt>{t('settings.navigationTimeout')}</dt>
                    <dd>
                      {t('settings.seconds', { count: Math.round(s.capture.navigationTimeoutMs / 1000) })}
                    </dd>
                    <dt>{t('settings.maxHeight')}</dt>
                    <dd>{s.capture.maxPageHeight} px</dd>
                  </dl>
                </div>
              </section>
              <section className="panel">
                <div className="panel-head">
                  <h3>{t('settings.personas')}</h3>
                </div>
                <div className="panel-body">
                  {s.personas.length === 0 ? (
                    <p className="muted" style={{ margin: 0 }}>
                      {t('settings.noPersonas')}
                    </p>
                  ) : (
                    <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                      {s.personas.map((p) => (
                        <li key={p} className="mono">
                          {p}
                        </li>
                      ))}
                    </ul>
                  )}
                  <p className="faint" style={{ marginBottom: 0, fontSize: 12 }}>
                    {t('settings.personaHint')}
                  </p>
                </div>
              </section>
            </div>
            <section className="panel">
              <div className="panel-head">
                <h3>{t('settings.authorities')}</h3>
              </div>
              <div className="panel-body">
                <div className="field">
                  <label htmlFor="authorities">{t('settings.authoritiesLabel')}</label>
                  <textarea
                    id="authorities"
                    className="textarea mono"
                    rows={5}
                    dir="ltr"
                    value={authorities}
                    onChange={(e) => setAuthorities(e.target.value)}
                  />
                  <span className="hint">{t('settings.authoritiesHint')}</span>
                </div>
                {error && <div className="error-box">{error}</div>}
                <button type="button" className="btn primary" onClick={() => void save()}>
                  {t('settings.save')}
                </button>
                <p className="faint" style={{ marginBottom: 0, fontSize: 12 }}>
                  {t('settings.network')}
                </p>
              </div>
            </section>
          </div>
        )}
      </div>
    </>
  );
}
