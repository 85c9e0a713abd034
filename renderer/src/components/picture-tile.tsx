import type { PictureItem } from '../../../shared/media.js';
import { t } from '../i18n/i18n.js';
import { call } from '../platform/custos.js';
import { useAppState } from '../state/app-state.js';
import { Icon } from './icons.js';
import { BidiText, MonoText, UrlText, withInvisiblesShown } from './text.js';

/**
 * One picture of a near-duplicate list: thumbnail, distance, case and title, and for a photo inside
 * a captured page the image's URL on that page; a click opens its item.
 */
export function PictureTile({
  item,
  thumbnail,
  distance,
  pictureUrl,
  current = false,
}: Readonly<{
  item: PictureItem;
  thumbnail: string | null;
  distance: number | null;
  pictureUrl?: string;
  current?: boolean;
}>) {
  const open = useOpenItem();
  const title = item.title ?? item.source;
  return (
    <button
      type="button"
      className={`picture-tile${current ? ' current' : ''}`}
      onClick={() => void open(item)}
      title={t('similar.open', { title: withInvisiblesShown(title) })}
    >
      {thumbnail ? (
        <img src={thumbnail} alt="" draggable={false} />
      ) : (
        <span className="picture-empty">
          <Icon name="image" size={18} />
        </span>
      )}
      <span className="picture-meta">
        <span className="row">
          <MonoText text={item.caseNumber} className="badge accent" />
          {distance !== null && (
            <span className="badge" title={t('similar.distanceHint')}>
              {t('similar.distance', { distance })}
            </span>
          )}
        </span>
        <BidiText text={title} className="ellipsis" />
        {pictureUrl && <UrlText url={pictureUrl} className="ellipsis faint" />}
      </span>
    </button>
  );
}

/** Opens an item, switching to its case when it belongs to another one. */
function useOpenItem(): (item: PictureItem) => Promise<void> {
  const { openCase, setOpenCase, navigate } = useAppState();
  return async (item) => {
    if (openCase?.id !== item.caseId) setOpenCase(await call('getCase', { caseRef: item.caseId }));
    navigate({ screen: 'item', itemId: item.itemId });
  };
}
