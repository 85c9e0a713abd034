import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Icon } from '../components/icons.js';
import { useNotice } from '../components/notices.js';
import { ProgressBar } from '../components/progress-bar.js';
import { BidiText, CopyButton, UrlText } from '../components/text.js';
import { useJob } from '../hooks/use-job.js';
import { useLoad } from '../hooks/use-load.js';
import { t } from '../i18n/i18n.js';
import { call } from '../platform/custos.js';
import { pageProgress, stageLabel } from './capture-stages.js';

/** The address bar: capture one page by its URL, as a persona or with a fresh profile. */
export function CaptureBar({ caseRef, onCaptured }: Readonly<{ caseRef: string; onCaptured: () => void }>) {
  const notice = useNotice();
  const [url, setUrl] = useState('');
  const [persona, setPersona] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const settings = useLoad(() => call('getSettings', {}), []);
  const job = useJob((options, address: string, as: string) =>
    call('captureUrls', { caseRef, urls: [address], persona: as || null }, options),
  );

  // Ctrl+L (Cmd+L) goes to the address bar, as in a browser.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'l') {
        event.preventDefault();
        input.current?.focus();
        input.current?.select();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (job.running || url.trim() === '') return;
    const outcome = await job.start(url.trim(), persona);
    if (!outcome) return;
    const item = outcome.items[0];
    if (item) {
      onCaptured();
      setUrl('');
      notice({
        tone: 'good',
        title: t('capture.done'),
        body: (
          <>
            <div className="ellipsis">
              <BidiText text={item.title ?? item.source} />
            </div>
            <DigestNotice digest={item.digest} />
          </>
        ),
      });
    } else if (outcome.failures[0]) {
      notice({ tone: 'bad', title: t('capture.failed'), body: outcome.failures[0].message });
    }
  };

  const progress = job.state.status === 'running' ? job.state.progress : null;
  return (
    <>
      <form className="capture-bar" onSubmit={submit} aria-label={t('capture.label')}>
        <div className="address">
          <Icon name="globe" size={14} />
          <input
            ref={input}
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            placeholder={t('capture.placeholder')}
            aria-label={t('capture.address')}
            spellCheck={false}
            autoComplete="off"
            dir="ltr"
          />
          <span className="kbd">Ctrl L</span>
        </div>
        <select
          className="select"
          aria-label={t('capture.persona')}
          value={persona}
          onChange={(e) => setPersona(e.target.value)}
        >
          <option value="">{t('capture.noPersona')}</option>
          {(settings.value?.personas ?? []).map((p) => (
            <option key={p} value={p}>
              {t('capture.asPersona', { persona: p })}
            </option>
          ))}
        </select>
        <button type="submit" className="btn primary" disabled={job.running || url.trim() === ''}>
          <Icon name="camera" size={14} />
          {t('capture.submit')}
        </button>
      </form>
      {job.running && (
        <div className="capture-status" role="status">
          <Icon name="camera" size={14} />
          <span className="ellipsis" style={{ maxWidth: 420 }}>
            {t(stageLabel(progress?.stage))} · <UrlText url={progress?.subject ?? url} />
          </span>
          <ProgressBar progress={pageProgress(progress?.stage)} label={t('capture.progressLabel')} />
          <button type="button" className="btn small" onClick={job.cancel}>
            {t('common.cancel')}
          </button>
        </div>
      )}
      {job.state.status === 'failed' && job.state.error.kind !== 'cancelled' && (
        <div className="error-box" role="alert" style={{ margin: '8px 18px' }}>
          {job.state.error.message}
        </div>
      )}
    </>
  );
}

/** The notice body after a capture: the item's digest, in full, with a copy button. */
export function DigestNotice({ digest }: Readonly<{ digest: string }>) {
  return (
    <div style={{ marginTop: 4 }}>
      <div className="muted" style={{ fontSize: 11.5 }}>
        {t('capture.digest')}
      </div>
      <div
        className="hash"
        data-testid="capture-digest"
        style={{ wordBreak: 'break-all', margin: '2px 0 6px' }}
      >
        {digest}
      </div>
      <CopyButton value={digest} />
    </div>
  );
}
