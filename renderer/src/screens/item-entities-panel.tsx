import { EntityRow, entityTypeLabel } from '../components/entity-text.js';
import { useLoad } from '../hooks/use-load.js';
import { t } from '../i18n/i18n.js';
import { call } from '../platform/custos.js';

/** The entities found in one item, each a way to every other item that mentions it. */
export function ItemEntitiesPanel({ itemId }: Readonly<{ itemId: string }>) {
  const entities = useLoad(() => call('getItemEntities', { itemId }), [itemId]);
  const list = entities.value ?? [];
  return (
    <section className="panel" aria-labelledby="item-entities-head">
      <div className="panel-head">
        <h3 id="item-entities-head">{t('entities.itemPanel', { count: list.length })}</h3>
      </div>
      <div className="panel-body tight">
        {entities.error && <div className="error-box">{entities.error.message}</div>}
        {entities.value && list.length === 0 && <span className="faint">{t('entities.itemNone')}</span>}
        <ul className="entity-list">
          {list.map((entity) => (
            <EntityRow
              key={`${entity.type} ${entity.value}`}
              entity={entity}
              before={<span className="muted entity-type">{entityTypeLabel(entity.type)}</span>}
            />
          ))}
        </ul>
      </div>
    </section>
  );
}
