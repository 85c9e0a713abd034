import { useMemo, useState } from 'react';
import { type CaseEntity, ENTITY_TYPES } from '../../../shared/entities.js';
import { EntityRow, entityTypeLabel, PictureOrigin } from '../components/entity-text.js';
import { useNotice } from '../components/notices.js';
import { UntrustedText, withInvisiblesShown } from '../components/text.js';
import { useLoad } from '../hooks/use-load.js';
import { t } from '../i18n/i18n.js';
import { call } from '../platform/custos.js';
import { useOpenCase } from '../state/app-state.js';

/** The case's entity panel: what it mentions, grouped by type, with the cross-case flag; a click lists every item that mentions one. */
export function EntitiesScreen() {
  const openCase = useOpenCase();
  const entities = useLoad(() => call('listCaseEntities', { caseRef: openCase.id }), [openCase.id]);
  const [filter, setFilter] = useState('');
  const shown = useMemo(() => {
    const f = filter.trim().toLowerCase();
    const all = entities.value ?? [];
    return f === ''
      ? all
      : all.filter((e) =>
          [e.value, ...e.items.flatMap((i) => i.occurrences.map((o) => o.original))].some((v) =>
            v.toLowerCase().includes(f),
          ),
        );
  }, [entities.value, filter]);
  const groups = ENTITY_TYPES.map((type) => ({
    type,
    entities: shown.filter((e) => e.type === type),
  })).filter((g) => g.entities.length > 0);
  const crossCase = shown.filter((e) => e.crossCase).length;
  const notice = useNotice();
  const exportAs = async (format: 'csv' | 'graphml') => {
    try {
      const { file } = await call('exportCaseEntities', { caseRef: openCase.id, format });
      notice({ tone: 'good', title: t('entities.exported', { file }) });
    } catch (e) {
      notice({ tone: 'bad', title: (e as Error).message });
    }
  };

  return (
    <>
      <div className="screen-head">
        <div>
          <h1>{t('entities.title')}</h1>
          <div className="sub">{t('entities.subtitle')}</div>
        </div>
        <span className="spacer" />
        <input
          className="input"
          style={{ width: 240 }}
          dir="auto"
          placeholder={t('entities.filter')}
          aria-label={t('entities.filter')}
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        <span className="muted">
          {t('entities.count', { count: shown.length })} ·{' '}
          {t('entities.crossCaseCount', { count: crossCase })}
        </span>
        <button type="button" className="btn" onClick={() => void exportAs('csv')}>
          {t('entities.exportCsv')}
        </button>
        <button type="button" className="btn" onClick={() => void exportAs('graphml')}>
          {t('entities.exportGraphml')}
        </button>
      </div>
      <div className="screen-body">
        {entities.error && <div className="error-box">{entities.error.message}</div>}
        {entities.value && groups.length === 0 && <div className="empty-state">{t('entities.none')}</div>}
        <div className="entity-groups">
          {groups.map((group) => (
            <section key={group.type} className="panel" aria-labelledby={`entities-${group.type}`}>
              <div className="panel-head">
                <h3 id={`entities-${group.type}`}>{entityTypeLabel(group.type)}</h3>
                <span className="badge">{group.entities.length}</span>
              </div>
              <ul className="entity-list">
                {group.entities.map((entity) => (
                  <EntityRow
                    key={entity.value}
                    entity={entity}
                    after={
                      <>
                        <WrittenAs entity={entity} />
                        <PictureOrigin entity={entity} />
                      </>
                    }
                    end={<span className="badge">{t('entities.items', { count: entity.items.length })}</span>}
                  />
                ))}
              </ul>
            </section>
          ))}
        </div>
      </div>
    </>
  );
}

/** The entity as first written in the evidence (Arabic digits, spaces, a link), when that differs from its value. */
function WrittenAs({ entity }: Readonly<{ entity: CaseEntity }>) {
  const written = entity.items[0]?.occurrences[0]?.original;
  if (!written || written === entity.value) return null;
  return (
    <span className="faint ellipsis entity-written" dir="auto" title={withInvisiblesShown(written)}>
      <UntrustedText text={written} />
    </span>
  );
}
