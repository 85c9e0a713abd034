import { memo, useEffect, useState } from 'react';
import { call } from '../platform/custos.js';
import { Icon } from './icons.js';

const cache = new Map<string, string | null>();
const waiting = new Map<string, ((uri: string | null) => void)[]>();
let flushTimer: ReturnType<typeof setTimeout> | undefined;
/**
 * Thumbnails are asked for once the list has stood still this long, all rows in one call: a fast
 * scroll past thousands of rows asks for none, and a screenful costs one request, not forty.
 */
const SETTLE_MS = 120;

function flush(): void {
  flushTimer = undefined;
  const ids = [...waiting.keys()];
  if (ids.length === 0) return;
  const callbacks = new Map(waiting);
  waiting.clear();
  const answer = (id: string, uri: string | null) => {
    cache.set(id, uri);
    for (const callback of callbacks.get(id) ?? []) callback(uri);
  };
  call('getThumbnails', { itemIds: ids }).then(
    (found) => {
      for (const id of ids) answer(id, found[id] ?? null);
    },
    () => {
      for (const id of ids) answer(id, null);
    },
  );
}

/** Asks for an item's thumbnail in the next batch; the returned function withdraws the request. */
function requestThumbnail(itemId: string, callback: (uri: string | null) => void): () => void {
  waiting.set(itemId, [...(waiting.get(itemId) ?? []), callback]);
  if (flushTimer !== undefined) clearTimeout(flushTimer);
  flushTimer = setTimeout(flush, SETTLE_MS);
  return () => {
    const rest = (waiting.get(itemId) ?? []).filter((c) => c !== callback);
    if (rest.length > 0) waiting.set(itemId, rest);
    else waiting.delete(itemId);
  };
}

/** An item's thumbnail, fetched in a batch once the list stands still, and kept for the session. */
export const Thumbnail = memo(function Thumbnail({
  itemId,
  hasImage,
  kind,
}: Readonly<{ itemId: string; hasImage: boolean; kind: string }>) {
  const [uri, setUri] = useState<string | null | undefined>(() => cache.get(itemId));
  useEffect(() => {
    if (!hasImage || cache.has(itemId)) return;
    return requestThumbnail(itemId, setUri);
  }, [itemId, hasImage]);
  if (uri) return <img className="thumb" src={uri} alt="" draggable={false} />;
  return (
    <span className="thumb empty">
      <Icon name={kind === 'capture' ? 'globe' : hasImage ? 'image' : 'file'} size={14} />
    </span>
  );
});
