import { useState } from 'react';
import type { Investigator } from '../../../shared/domain.js';
import { FormError, TextField } from '../components/field.js';
import { Icon } from '../components/icons.js';
import { SetupCardHeader } from '../components/setup-card-header.js';
import { SubmitButton } from '../components/submit-button.js';
import { useSubmit } from '../hooks/use-submit.js';
import { t } from '../i18n/i18n.js';
import { call } from '../platform/custos.js';

/** First run: the investigator whose key will sign every custody entry of this workstation. */
export function FirstRun({ onDone }: Readonly<{ onDone: (profile: Investigator) => void }>) {
  const [name, setName] = useState('');
  const [agency, setAgency] = useState('');
  const [badge, setBadge] = useState('');
  const submission = useSubmit(
    async () =>
      onDone(await call('initProfile', { name, agency: agency.trim() || null, badge: badge.trim() || null })),
    [name, agency, badge],
    name.trim() === '' ? t('firstRun.missingName') : null,
  );

  return (
    <div className="centered">
      {/* noValidate: the name's `required` tells a screen reader; what is missing is said as every form says it. */}
      <form
        className="setup-card"
        onSubmit={submission.onSubmit}
        aria-labelledby="first-run-title"
        noValidate
      >
        <SetupCardHeader titleId="first-run-title" title={t('firstRun.title')}>
          <p className="muted" style={{ margin: '6px 0 0' }}>
            {t('firstRun.intro')}
          </p>
        </SetupCardHeader>
        <div className="content">
          <TextField id="profile-name" label={t('firstRun.name')} value={name} onChange={setName} required />
          <TextField label={t('firstRun.agency')} value={agency} onChange={setAgency} />
          <TextField label={t('firstRun.badge')} value={badge} onChange={setBadge} />
          <p className="faint" style={{ fontSize: 12, margin: 0, display: 'flex', gap: 6 }}>
            <Icon name="lock" size={14} />
            {t('firstRun.keyNote')}
          </p>
          <FormError message={submission.error} />
        </div>
        <footer>
          <SubmitButton submission={submission}>{t('firstRun.submit')}</SubmitButton>
        </footer>
      </form>
    </div>
  );
}
