import { useId, useState } from 'react';
import type { CapturePreset, CaptureSettings } from '../../../shared/capture-settings.js';
import { withPreset } from '../../../shared/capture-settings.js';
import { FormError } from '../components/field.js';
import { useNotice } from '../components/notices.js';
import { SubmitButton } from '../components/submit-button.js';
import { useSubmit } from '../hooks/use-submit.js';
import { t } from '../i18n/i18n.js';
import { call } from '../platform/custos.js';

/** A labelled whole-number field with its unit. */
function NumberField({
  label,
  unit,
  value,
  onChange,
  disabled = false,
}: Readonly<{
  label: string;
  unit: string;
  value: number;
  onChange: (value: number) => void;
  disabled?: boolean;
}>) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <span className="number-field">
        <input
          id={id}
          className="input"
          type="number"
          inputMode="numeric"
          value={Number.isFinite(value) ? value : ''}
          disabled={disabled}
          onChange={(e) => onChange(e.target.value === '' ? Number.NaN : Number(e.target.value))}
        />
        <span className="muted">{unit}</span>
      </span>
    </div>
  );
}

/**
 * The store's capture defaults, editable: the window (desktop, a phone with its user agent, or a
 * size of one's own), how long to wait, and the live view's video limits. Saving writes a custody
 * entry naming what changed; every later capture, by the app or the `custos` command, uses them.
 */
export function CaptureSettingsPanel({
  initial,
  maxPageHeight,
}: Readonly<{ initial: CaptureSettings; maxPageHeight: number }>) {
  const notice = useNotice();
  const [settings, setSettings] = useState(initial);
  const set = (change: Partial<CaptureSettings>) => setSettings((s) => ({ ...s, ...change }));
  const presetId = useId();
  const submission = useSubmit(async () => {
    const saved = await call('setCaptureSettings', settings);
    setSettings(saved);
    notice({ tone: 'good', title: t('settings.captureSaved') });
  }, [settings]);
  const custom = settings.preset === 'custom';

  return (
    <section className="panel" aria-labelledby="capture-settings-head">
      <div className="panel-head">
        <h3 id="capture-settings-head">{t('settings.capture')}</h3>
      </div>
      <form
        className="panel-body capture-settings"
        onSubmit={submission.onSubmit}
        aria-label={t('settings.capture')}
      >
        <div className="field">
          <label htmlFor={presetId}>{t('settings.viewport')}</label>
          <select
            id={presetId}
            className="select"
            value={settings.preset}
            onChange={(e) => setSettings((s) => withPreset(s, e.target.value as CapturePreset))}
          >
            <option value="desktop">{t('settings.preset.desktop')}</option>
            <option value="mobile">{t('settings.preset.mobile')}</option>
            <option value="custom">{t('settings.preset.custom')}</option>
          </select>
        </div>
        <div className="two-col">
          <NumberField
            label={t('settings.width')}
            unit="px"
            value={settings.viewport.width}
            disabled={!custom}
            onChange={(width) => set({ viewport: { ...settings.viewport, width } })}
          />
          <NumberField
            label={t('settings.height')}
            unit="px"
            value={settings.viewport.height}
            disabled={!custom}
            onChange={(height) => set({ viewport: { ...settings.viewport, height } })}
          />
        </div>
        <label className="check">
          <input
            type="checkbox"
            checked={settings.mobile}
            disabled={!custom}
            onChange={(e) => set({ mobile: e.target.checked })}
          />
          {t('settings.mobile')}
        </label>
        <div className="two-col">
          <NumberField
            label={t('settings.navigationTimeout')}
            unit={t('settings.unit.seconds')}
            value={settings.navigationTimeoutSeconds}
            onChange={(navigationTimeoutSeconds) => set({ navigationTimeoutSeconds })}
          />
          <NumberField
            label={t('settings.loadTimeout')}
            unit={t('settings.unit.seconds')}
            value={settings.loadTimeoutSeconds}
            onChange={(loadTimeoutSeconds) => set({ loadTimeoutSeconds })}
          />
          <NumberField
            label={t('settings.videoMaxSize')}
            unit="MB"
            value={settings.videoMaxMegabytes}
            onChange={(videoMaxMegabytes) => set({ videoMaxMegabytes })}
          />
          <NumberField
            label={t('settings.videoMaxLength')}
            unit={t('settings.unit.minutes')}
            value={settings.videoMaxMinutes}
            onChange={(videoMaxMinutes) => set({ videoMaxMinutes })}
          />
        </div>
        <p className="faint" style={{ marginTop: 0, fontSize: 12 }}>
          {t('settings.captureHint', { height: maxPageHeight.toLocaleString() })}
        </p>
        <FormError message={submission.error} />
        <SubmitButton submission={submission}>{t('settings.saveCapture')}</SubmitButton>
      </form>
    </section>
  );
}
