import type { ItemSummary } from '../../../shared/domain.js';
import { archiveTimestamp, REPLAY_FRAME_PARAMS, type ReplayView } from '../../../shared/replay.js';
import { REPLAY_FRAME_PAGE, replayWarcPath } from './replay-engine-files.js';

/** Where a program serves replays: its replay origin, the built engine, and the app's own origin. */
export interface ReplayOrigin {
  /** The replay origin's base address (`custos-replay://replay/`, or a loopback port in the harness). */
  readonly base: string;
  /** The built replay engine (`out/replay`). */
  readonly engineDir: string;
  /** The origin of the app's page, the only one allowed to frame the replay. */
  readonly appOrigin: string;
}

/**
 * Whether an item can be replayed, and the frame page that replays it: a web capture with a WARC,
 * opened at its address and capture time. Without a WARC (an import, an area screenshot, a video)
 * there is nothing to replay, and the viewer says so.
 */
export function replayView(item: ItemSummary, origin: ReplayOrigin | undefined): ReplayView {
  const warc = item.artifacts.find((a) => a.role === 'warc');
  if (!warc || item.url === null) return { available: false, reason: 'no-warc' };
  if (!origin) return { available: false, reason: 'no-replay' };
  const frame = new URL(REPLAY_FRAME_PAGE.pathname, origin.base);
  frame.searchParams.set(REPLAY_FRAME_PARAMS.item, item.id);
  frame.searchParams.set(REPLAY_FRAME_PARAMS.warc, replayWarcPath(item.id, warc.sha256));
  frame.searchParams.set(REPLAY_FRAME_PARAMS.url, item.url);
  frame.searchParams.set(REPLAY_FRAME_PARAMS.ts, archiveTimestamp(item.capturedAt));
  frame.searchParams.set(REPLAY_FRAME_PARAMS.parent, origin.appOrigin);
  return {
    available: true,
    frameUrl: frame.href,
    url: item.url,
    capturedAt: item.capturedAt,
    warc: { name: warc.name, sha256: warc.sha256, size: warc.size },
  };
}
