import { memo, useEffect, useState } from 'react';
import { call } from '../platform/custos.js';
import { Icon } from './icons.js';

const cache = new Map<string, string | null>();
/** A row must stay in view this long before its thumbnail is asked for (fast scrolling asks none). */
const SETTLE_MS = 90;

/** An item's thumbnail, fetched once it has been in view for a moment and kept for the session. */
export const Thumbnail = memo(function Thumbnail({
  itemId,
  hasImage,
  kind,
}: Readonly<{ itemId: string; hasImage: boolean; kind: string }>) {
  const [uri, setUri] = useState<string | null | undefined>(() => cache.get(itemId));
  useEffect(() => {
    if (!hasImage || cache.has(itemId)) return;
    let live = true;
    const timer = setTimeout(() => {
      call('getThumbnail', { itemId }).then(
        (t) => {
          cache.set(itemId, t.dataUri);
          if (live) setUri(t.dataUri);
        },
        () => cache.set(itemId, null),
      );
    }, SETTLE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [itemId, hasImage]);
  if (uri) return <img className="thumb" src={uri} alt="" draggable={false} />;
  return (
    <span className="thumb empty">
      <Icon name={kind === 'capture' ? 'globe' : hasImage ? 'image' : 'file'} size={14} />
    </span>
  );
});
