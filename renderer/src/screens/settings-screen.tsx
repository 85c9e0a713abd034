import { useEffect, useState } from 'react';
import { FormError, TextField } from '../components/field.js';
import { Icon } from '../components/icons.js';
import { useNotice } from '../components/notices.js';
import { SubmitButton } from '../components/submit-button.js';
import { useLoad } from '../hooks/use-load.js';
import { useSubmit } from '../hooks/use-submit.js';
import { t } from '../i18n/i18n.js';
import { call } from '../platform/custos.js';
import { CaptureSettingsPanel } from './capture-settings-panel.js';
import { RequestTimestampsButton, RequestTimestampsResult, useRequestTimestamps } from './item-timestamp.js';
import { KeyProtectionPanel } from './key-protection-panel.js';

/** The personas, and a form to make a new one (its name checked by the shared schema). */
function PersonasPanel({ initial }: Readonly<{ initial: readonly string[] }>) {
  const notice = useNotice();
  const [personas, setPersonas] = useState(initial);
  const [name, setName] = useState('');
  const submission = useSubmit(
    async () => {
      setPersonas(await call('createPersona', { name }));
      notice({ tone: 'good', title: t('settings.personaCreated', { name: name.trim() }) });
      setName('');
    },
    [name],
    name.trim() === '' ? t('settings.missingPersona') : null,
  );

  return (
    <section className="panel" aria-labelledby="personas-head">
      <div className="panel-head">
        <h3 id="personas-head">{t('settings.personas')}</h3>
        <span className="spacer" />
        <span className="muted">{t('settings.personaCount', { count: personas.length })}</span>
      </div>
      <div className="panel-body">
        {personas.length === 0 ? (
          <p className="muted" style={{ marginTop: 0 }}>
            {t('settings.noPersonas')}
          </p>
        ) : (
          <ul className="persona-list" aria-label={t('settings.personas')}>
            {personas.map((p) => (
              <li key={p}>
                <Icon name="user" size={14} />
                <span className="mono">{p}</span>
              </li>
            ))}
          </ul>
        )}
        <form className="persona-form" onSubmit={submission.onSubmit} aria-label={t('settings.newPersona')}>
          <TextField
            label={t('settings.personaName')}
            value={name}
            onChange={setName}
            mono
            placeholder={t('settings.personaExample')}
          />
          <SubmitButton submission={submission} className="btn">
            {t('settings.createPersona')}
          </SubmitButton>
        </form>
        <FormError message={submission.error} />
        <p className="faint" style={{ marginBottom: 0, fontSize: 12 }}>
          {t('settings.personaHint')}
        </p>
      </div>
    </section>
  );
}

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
  const ask = useRequestTimestamps();

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
              <CaptureSettingsPanel initial={s.capture} maxPageHeight={s.capture.maxPageHeight} />
              <KeyProtectionPanel />
              <PersonasPanel initial={s.personas} />
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
                <FormError message={error} />
                <button type="button" className="btn primary" onClick={() => void save()}>
                  {t('settings.save')}
                </button>
                <p className="faint" style={{ marginBottom: 0, fontSize: 12 }}>
                  {t('settings.network')}
                </p>
                <p style={{ marginBottom: 0 }}>{t('settings.askAgainHint')}</p>
                <RequestTimestampsButton ask={ask} />
                <RequestTimestampsResult ask={ask} />
              </div>
            </section>
          </div>
        )}
      </div>
    </>
  );
}
