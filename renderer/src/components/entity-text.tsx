import type { ReactNode } from 'react';
import type { CaseEntity, EntityType } from '../../../shared/entities.js';
import { t } from '../i18n/i18n.js';
import { useAppState } from '../state/app-state.js';

/** What an entity type is called in the UI. */
export function entityTypeLabel(type: EntityType): string {
  return t(`entities.type.${type}`);
}

/**
 * An entity's normalised value: numbers, handles, IBANs and addresses read left to right,
 * whatever script surrounds them.
 */
export function EntityValue({ value }: Readonly<{ value: string }>) {
  return (
    <span className="mono entity-value" dir="ltr">
      {value}
    </span>
  );
}

/** The cross-case flag: the other cases that mention this entity too (nothing when there are none). */
export function CrossCaseFlag({ entity }: Readonly<{ entity: CaseEntity }>) {
  if (!entity.crossCase) return null;
  const cases = entity.otherCases.map((c) => c.number).join(', ');
  return (
    <span className="badge warn" title={t('entities.alsoIn', { cases })}>
      {t('entities.crossCase')}: <span dir="ltr">{cases}</span>
    </span>
  );
}

/**
 * One entity in a list: a button to every item that mentions it. `before` comes ahead of the
 * value, `after` ahead of the cross-case flag and `end` after it.
 */
export function EntityRow({
  entity,
  before,
  after,
  end,
}: Readonly<{ entity: CaseEntity; before?: ReactNode; after?: ReactNode; end?: ReactNode }>) {
  const { navigate } = useAppState();
  return (
    <li>
      <button
        type="button"
        className="entity-row"
        title={t('entities.showItems', { value: entity.value })}
        onClick={() => navigate({ screen: 'mentions', value: entity.value, type: entity.type })}
      >
        {before}
        <EntityValue value={entity.value} />
        {after}
        <span className="spacer" />
        <CrossCaseFlag entity={entity} />
        {end}
      </button>
    </li>
  );
}
