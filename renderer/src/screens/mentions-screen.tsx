import type { EntityMention, EntityType } from '../../../shared/entities.js';
import { EntityValue, entityTypeLabel } from '../components/entity-text.js';
import { Icon } from '../components/icons.js';
import { useNotice } from '../components/notices.js';
import { BidiText, MonoText, UrlText } from '../components/text.js';
import { useLoad } from '../hooks/use-load.js';
import { formatTime, t } from '../i18n/i18n.js';
import { call } from '../platform/custos.js';
import { useAppState } from '../state/app-state.js';

/** "All items that mention this": every item, in any case, that mentions one entity; a click opens it in its case. */
export function MentionsScreen({ value, type }: Readonly<{ value: string; type?: EntityType }>) {
  const { navigate, openCase, setOpenCase } = useAppState();
  const notice = useNotice();
  const mentions = useLoad(() => call('findEntityMentions', { value, type }), [value, type]);
  const rows = mentions.value ?? [];
  const cases = new Set(rows.map((m) => m.caseId)).size;

  const open = async (mention: EntityMention) => {
    try {
      if (openCase?.id !== mention.caseId) setOpenCase(await call('getCase', { caseRef: mention.caseId }));
      navigate({ screen: 'item', itemId: mention.itemId });
    } catch (e) {
      notice({ tone: 'bad', title: (e as Error).message });
    }
  };

  return (
    <>
      <div className="screen-head">
        <button
          type="button"
          className="btn icon"
          aria-label={t('mentions.back')}
          title={t('mentions.back')}
          onClick={() => navigate({ screen: openCase ? 'entities' : 'start' })}
        >
          <Icon name="back" />
        </button>
        <div style={{ minWidth: 0, flex: 1 }}>
          <h1 className="ellipsis">
            {t('mentions.title')} <EntityValue value={value} />
          </h1>
          <div className="sub">
            {type ? `${entityTypeLabel(type)} · ` : ''}
            {t('mentions.subtitle')}
          </div>
        </div>
        {mentions.value && (
          <span className="muted">
            {t('mentions.count', { count: rows.length, cases: t('mentions.cases', { count: cases }) })}
          </span>
        )}
      </div>
      <div className="screen-body">
        {mentions.error && <div className="error-box">{mentions.error.message}</div>}
        {mentions.value && rows.length === 0 && <div className="empty-state">{t('mentions.none')}</div>}
        {rows.length > 0 && (
          <table className="simple-table mentions-table">
            <thead>
              <tr>
                <th>{t('mentions.col.case')}</th>
                <th>{t('mentions.col.item')}</th>
                <th>{t('mentions.col.written')}</th>
                <th>{t('mentions.col.where')}</th>
                <th>{t('mentions.col.captured')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((m) => (
                <tr key={`${m.type} ${m.itemId}`} data-cross={m.caseId !== openCase?.id}>
                  <td>
                    <MonoText text={m.caseNumber} />
                  </td>
                  <td>
                    <button type="button" className="link-button" onClick={() => void open(m)}>
                      {m.title ? (
                        <BidiText text={m.title} />
                      ) : m.url ? (
                        <UrlText url={m.url} />
                      ) : (
                        <BidiText text={m.source} />
                      )}
                    </button>
                  </td>
                  <td>
                    <BidiText text={m.occurrences.map((o) => o.original).join(' · ')} />
                  </td>
                  <td>
                    {[...new Set(m.occurrences.map((o) => t(`mentions.source.${o.source}`)))].join(', ')}
                  </td>
                  <td style={{ whiteSpace: 'nowrap' }}>{formatTime(m.capturedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </>
  );
}
