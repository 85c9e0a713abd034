import type { StoreUpgrade } from '../../../shared/api.js';
import { Icon } from '../components/icons.js';
import { ProgressBar } from '../components/progress-bar.js';
import { t } from '../i18n/i18n.js';

/**
 * Shown while the store an older Custos wrote is being upgraded (the first reads wait for it, for
 * tens of seconds in a large store): what is happening, that the evidence is safe, and what to do,
 * so that nobody takes the wait for a hang and kills the app.
 */
export function StoreUpgradeNotice({ upgrade }: Readonly<{ upgrade: StoreUpgrade }>) {
  return (
    <div className="centered">
      <section className="setup-card" role="status" aria-labelledby="store-upgrade-title">
        <header>
          <div className="brand-line">
            <Icon name="shield" size={22} />
            {t('app.name')}
          </div>
          <h1 id="store-upgrade-title">{t('storeUpgrade.title')}</h1>
        </header>
        <div className="content notice-lines">
          <ProgressBar progress={null} label={t('storeUpgrade.title')} />
          <p>{t('storeUpgrade.wait')}</p>
          <p className="muted">{t('storeUpgrade.safe')}</p>
          <p className="faint" style={{ fontSize: 12 }}>
            {t('storeUpgrade.versions', { from: upgrade.fromVersion, to: upgrade.toVersion })}
          </p>
        </div>
      </section>
    </div>
  );
}
