import { parseCaptureUrl } from '../../capture/capture-url.js';
import { parseInterval } from '../../watch/interval.js';
import { addWatch, listWatchViews, removeWatch } from '../../watch/watch-service.js';
import type { HandlerGroup } from './handlers.js';

/** Watched URLs: list with history, add, remove, check now (the scheduler runs the due ones). */
export const watchHandlers: HandlerGroup<'listWatches' | 'addWatch' | 'removeWatch' | 'runWatches'> = {
  listWatches: (input, _context, { store }) =>
    store.exists()
      ? store.read((s) => {
          const caseId = input.caseRef ? s.getCase(input.caseRef).id : undefined;
          return listWatchViews(s.db, {
            ...(caseId === undefined ? {} : { caseId }),
            includeRemoved: input.includeRemoved,
          });
        })
      : [],

  addWatch: (input, _context, { store }) => {
    // Checked before the store is opened for writing: a bad address or interval writes nothing.
    const url = parseCaptureUrl(input.url).href;
    const intervalSeconds = parseInterval(input.every);
    return store.write((s) => addWatch(s, { url, caseRef: input.caseRef, intervalSeconds }));
  },

  removeWatch: (input, _context, { store }) => store.write((s) => removeWatch(s, input.watchId)),

  runWatches: async (input, _context, { watches }) => {
    const checks = await watches.runNow(input.watchId);
    return {
      checks: checks.map(({ watch, check, previousState }) => ({
        watchId: watch.id,
        url: watch.url,
        state: check.state,
        previousState,
        itemId: check.itemId,
        error: check.error,
      })),
    };
  },
};
