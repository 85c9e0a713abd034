import { t } from '../i18n/i18n.js';
import { Icon } from './icons.js';

/** How search matches, said where the search box is (not only to a screen reader). */
export function SearchRules({ id }: Readonly<{ id?: string }>) {
  return (
    <p className="search-rules muted" id={id}>
      {t('searchHelp.rules')}
    </p>
  );
}

/**
 * A search that found nothing, said plainly with what to try next (instead of an empty table).
 * `inCase`: the evidence list of one case, where searching every case is one more thing to try.
 */
export function NoMatches({
  query,
  inCase = false,
  onSearchAllCases,
}: Readonly<{ query: string; inCase?: boolean; onSearchAllCases?: () => void }>) {
  return (
    <div className="empty-state" role="status" data-testid="no-matches">
      <Icon name="search" size={28} />
      <strong>{t(inCase ? 'searchHelp.noneInCase' : 'searchHelp.none', { query })}</strong>
      <div className="no-matches-tips">
        <span>{t('searchHelp.try')}</span>
        <ul>
          <li>{t('searchHelp.tryFewer')}</li>
          <li>{t('searchHelp.tryShorter')}</li>
          <li>{t('searchHelp.trySpelling')}</li>
          <li>{t('searchHelp.tryNumber')}</li>
          {inCase && onSearchAllCases && (
            <li>
              <button type="button" className="link-button" onClick={onSearchAllCases}>
                {t('searchHelp.tryAllCases')}
              </button>
            </li>
          )}
        </ul>
      </div>
    </div>
  );
}
