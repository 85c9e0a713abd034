import { replayView } from '../../replay/replay-view.js';
import type { HandlerGroup } from './handlers.js';

/** The item viewer's Replay tab: whether an item replays, and from where. */
export const replayHandlers: HandlerGroup<'getReplay'> = {
  getReplay: (input, _context, { store, replay }) =>
    store.read((s) => replayView(s.getItemSummary(input.itemId), replay)),
};
