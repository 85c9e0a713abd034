import type { ItemDetailView } from '../../../shared/api.js';
import { type MediaMetadata, SITE_FURNITURE_PAGES } from '../../../shared/media.js';
import { PictureTile } from '../components/picture-tile.js';
import { CopyButton, UntrustedText, withInvisiblesShown } from '../components/text.js';
import { useLoad } from '../hooks/use-load.js';
import { type MessageKey, t } from '../i18n/i18n.js';
import { call } from '../platform/custos.js';

/** The items, in any case, whose pictures look like this item's (near-duplicates), nearest first. */
export function SimilarImagesPanel({ item }: Readonly<{ item: ItemDetailView }>) {
  const similar = useLoad(() => call('getSimilarImages', { itemId: item.id }), [item.id]);
  const value = similar.value;
  if (value?.status === 'no-images') return null;
  return (
    <section className="panel" aria-labelledby="similar-head">
      <div className="panel-head">
        <h3 id="similar-head">{t('similar.title', { count: value?.similar.length ?? 0 })}</h3>
      </div>
      <div className="panel-body">
        {similar.error && <div className="error-box">{similar.error.message}</div>}
        {!value && !similar.error && <span className="faint">{t('common.loading')}</span>}
        {value?.status === 'pending' && <div className="faint">{t('similar.pending')}</div>}
        {value?.status === 'failed' && (
          <div className="error-box">{t('similar.failed', { error: value.error ?? '' })}</div>
        )}
        {value?.pageImages?.note && <div className="faint">{value.pageImages.note}</div>}
        {value && value.siteFurniture.length > 0 && (
          <div
            className="faint"
            title={withInvisiblesShown(value.siteFurniture.map((f) => f.uri ?? f.sha256).join('\n'))}
          >
            {t('similar.furniture', { count: value.siteFurniture.length, pages: SITE_FURNITURE_PAGES })}
          </div>
        )}
        {value?.status === 'hashed' && value.similar.length === 0 && (
          <div className="faint">{t('similar.none', { distance: value.maxDistance })}</div>
        )}
        {value && value.similar.length > 0 && (
          <div className="picture-grid">
            {value.similar.map((s) => (
              <PictureTile
                key={s.itemId}
                item={s}
                thumbnail={s.thumbnail}
                distance={s.distance}
                pictureUrl={s.page?.uri}
              />
            ))}
          </div>
        )}
        {value && value.similar.length > 0 && (
          <div className="faint picture-hint">{t('similar.distanceHint')}</div>
        )}
      </div>
    </section>
  );
}

/**
 * An EXIF date as a person reads it: `2024:05:01 14:32:10` is shown `2024-05-01 14:32:10`. Only the
 * date's separators change: the clock time and any offset stay exactly as the camera wrote them
 * (never converted to another time zone), and text of any other shape is shown as written.
 */
export function readableExifTime(written: string | undefined): string | undefined {
  if (written === undefined) return undefined;
  const match = /^(\d{4}):(\d{2}):(\d{2})(?=$|[ T])/.exec(written);
  return match ? `${match[1]}-${match[2]}-${match[3]}${written.slice(match[0].length)}` : written;
}

/** A photo's EXIF, GPS and XMP as its import read them: coordinates as numbers, never a map fetched from anywhere. */
export function MediaMetadataPanel({ item }: Readonly<{ item: ItemDetailView }>) {
  const metadata = item.record.metadata as { media?: MediaMetadata; mediaNote?: string };
  const media = metadata.media;
  if (!media && !metadata.mediaNote) return null;
  const position =
    media?.gps?.latitude !== undefined && media.gps.longitude !== undefined
      ? `${media.gps.latitude.toFixed(6)}, ${media.gps.longitude.toFixed(6)}`
      : undefined;
  const rows: [MessageKey, string | undefined][] = media
    ? [
        ['media.camera', [media.camera?.make, media.camera?.model].filter(Boolean).join(' ') || undefined],
        ['media.lens', media.camera?.lens],
        ['media.serial', media.camera?.serial],
        ['media.software', media.software],
        [
          'media.taken',
          media.dateTimeOriginal &&
            (media.offsetTimeOriginal
              ? t('media.takenWithOffset', {
                  time: readableExifTime(media.dateTimeOriginal) ?? '',
                  offset: media.offsetTimeOriginal,
                })
              : t('media.takenNoOffset', { time: readableExifTime(media.dateTimeOriginal) ?? '' })),
        ],
        ['media.modified', readableExifTime(media.modifyDate)],
        [
          'media.altitude',
          media.gps?.altitude === undefined ? undefined : t('media.metres', { value: media.gps.altitude }),
        ],
        ['media.gpsTime', readableExifTime(media.gps?.time)],
        ['media.orientation', media.orientation === undefined ? undefined : String(media.orientation)],
        ['media.dimensions', media.width && media.height ? `${media.width} × ${media.height}` : undefined],
        ['media.creatorTool', media.xmp?.creatorTool],
        [
          'media.history',
          media.xmp?.history
            ?.map((e) => [e.when, e.action, e.softwareAgent].filter(Boolean).join(' '))
            .join('\n'),
        ],
      ]
    : [];
  return (
    <section className="panel" aria-labelledby="media-head">
      <div className="panel-head">
        <h3 id="media-head">{t('media.title')}</h3>
      </div>
      <table className="simple-table compact">
        <tbody>
          {position && (
            <tr>
              <th scope="row">{t('media.position')}</th>
              <td>
                <span className="mono" dir="ltr">
                  {position}
                </span>{' '}
                <CopyButton value={position} />
              </td>
            </tr>
          )}
          {rows
            .filter((row): row is [MessageKey, string] => Boolean(row[1]))
            .map(([label, value]) => (
              <tr key={label}>
                <th scope="row">{t(label)}</th>
                <td className="bidi" dir="auto" style={{ whiteSpace: 'pre-wrap' }}>
                  <UntrustedText text={value} />
                </td>
              </tr>
            ))}
        </tbody>
      </table>
      <div className="panel-body faint picture-hint">
        {metadata.mediaNote && <div className="error-box">{metadata.mediaNote}</div>}
        {media?.rawTruncated && <div>{media.rawTruncated}</div>}
        <div>{t('media.asWritten')}</div>
      </div>
    </section>
  );
}
