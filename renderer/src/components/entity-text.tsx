import type { ReactNode } from 'react';
import type { CaseEntity, EntityOccurrence, EntityType } from '../../../shared/entities.js';
import type { PicturePlace } from '../../../shared/ocr.js';
import { type MessageKey, t } from '../i18n/i18n.js';
import { useAppState } from '../state/app-state.js';
import { UntrustedText, withInvisiblesShown } from './text.js';

/** What an entity type is called in the UI. */
export function entityTypeLabel(type: EntityType): string {
  return t(`entities.type.${type}`);
}

/**
 * An entity's normalised value: numbers, handles, IBANs and addresses read left to right,
 * whatever script surrounds them; a bidi control or control character in one (a value read from a
 * picture, an address) shown as its code point.
 */
export function EntityValue({ value }: Readonly<{ value: string }>) {
  return (
    <span className="mono entity-value" dir="ltr">
      <UntrustedText text={value} />
    </span>
  );
}

/** The cross-case flag: the other cases that mention this entity too (nothing when there are none). */
export function CrossCaseFlag({ entity }: Readonly<{ entity: CaseEntity }>) {
  if (!entity.crossCase) return null;
  const cases = withInvisiblesShown(entity.otherCases.map((c) => c.number).join(', '));
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
        title={t('entities.showItems', { value: withInvisiblesShown(entity.value) })}
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

/** A picture in words: a page image's file name (from its URL), else the artifact's role. */
export function pictureName(picture: Pick<PicturePlace, 'uri' | 'role'>): string {
  const file = picture.uri?.split(/[?#]/)[0]?.split('/').pop();
  return file || picture.uri || t(`role.${picture.role}` as MessageKey);
}

/** Where on which picture text was read: the picture in words and the line's box. */
export function pictureWhere(place: PicturePlace): string {
  const { x0, y0, x1, y1 } = place.box;
  return t('entities.pictureWhere', { name: pictureName(place), box: `${x0},${y0}–${x1},${y1}` });
}

/**
 * "From a picture" for an entity read by text recognition (or confirmed from such a reading), with
 * where: the picture (its URL on the page, or its role) and the line's box, in the tooltip the
 * item and the full address. Nothing for an entity found only in text.
 */
export function PictureOrigin({ entity }: Readonly<{ entity: CaseEntity }>) {
  const found = entity.items.flatMap((i) =>
    i.occurrences
      .filter((o): o is EntityOccurrence & { picture: PicturePlace } => o.picture !== undefined)
      .map((o) => ({ itemId: i.id, occurrence: o })),
  );
  const first = found[0];
  if (!first) return null;
  const confirmed = first.occurrence.source === 'confirmed';
  const where = pictureWhere(first.occurrence.picture);
  const title = [
    t('entities.pictureItem', { id: first.itemId }),
    first.occurrence.picture.uri ?? '',
    where,
    found.length > 1 ? t('entities.picturesMore', { count: found.length - 1 }) : '',
  ]
    .filter(Boolean)
    .join('\n');
  return (
    <span className="picture-origin" title={withInvisiblesShown(title)}>
      <span className="badge accent">
        {confirmed ? t('entities.confirmedFromPicture') : t('entities.fromPicture')}
      </span>
      <span className="faint ellipsis" dir="ltr">
        <UntrustedText text={where} />
      </span>
    </span>
  );
}
