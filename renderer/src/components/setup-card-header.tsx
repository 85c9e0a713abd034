import type { ReactNode } from 'react';
import { t } from '../i18n/i18n.js';
import { Icon } from './icons.js';

/**
 * The head of a setup card (the first run, the store's upgrade): the app's name and shield, the
 * card's title as its heading (`titleId` labels the card), and what follows it.
 */
export function SetupCardHeader({
  titleId,
  title,
  children,
}: Readonly<{ titleId: string; title: string; children?: ReactNode }>) {
  return (
    <header>
      <div className="brand-line">
        <Icon name="shield" size={22} />
        {t('app.name')}
      </div>
      <h1 id={titleId}>{title}</h1>
      {children}
    </header>
  );
}
