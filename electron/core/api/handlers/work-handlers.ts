import type { BatchOutcome } from '../../../../shared/api.js';
import { AUDIT_CHECKS } from '../../audit/audit-checks.js';
import { runAudit } from '../../audit/run-audit.js';
import { type BatchResult, entryFailures } from '../../batch.js';
import { captureLive, captureUrls, recordLiveVideo } from '../../capture/capture-service.js';
import { readCaptureSettings, videoLimitsFrom } from '../../capture/capture-settings.js';
import { captureWarnings } from '../../capture/capture-warning.js';
import type { LiveCapture } from '../../capture/live/live-capture.js';
import { badInput, operationFailure, WINDOW_AGAIN } from '../../errors.js';
import { importFiles } from '../../import/import-files.js';
import { timestampStatuses } from '../../timestamp/token-queries.js';
import { throwIfCancelled, untilCancelled } from '../services/cancellation.js';
import type { HandlerGroup, LiveViewSource } from './handlers.js';

/** Long work on the store: audit, import and capture, each with progress and a cancel. */
export const workHandlers: HandlerGroup<
  'auditStore' | 'importFiles' | 'captureUrls' | 'captureLive' | 'stopLiveVideo' | 'waitForTimestamps'
> = {
  // An audit only reads: a cancel answers at once; the run under way, the first or the one on a
  // store a restore put in place, stops at its next check or blob (`signal`), and none is begun after it.
  // Overtaken by a restore, the audit starts over on the restored store: its progress says so
  // (`restarted`), rather than the bar going back to nothing without a word.
  auditStore: (_input, { signal, progress }, { store }) =>
    store.readCancellable((s) => {
      let again: { readonly restarted?: true } = {};
      return runAudit(
        s,
        (p) => progress({ done: p.done, total: p.total, stage: p.label, ...again }),
        AUDIT_CHECKS,
        WINDOW_AGAIN,
        {
          signal,
          onRestored: () => {
            again = { restarted: true };
            progress({ done: 0, total: 0, ...again });
          },
        },
      );
    }, signal),

  // Both batches are the core's, with its one failure semantics: a bad entry (a malformed line, a
  // missing file, an unreachable host) is reported with its reason and the others go on.
  importFiles: (input, { signal, progress }, { store }) =>
    store.write(async (s, committed) =>
      batchOutcome(
        await importFiles(s, input.caseRef, input.paths, {
          malformed: 'report',
          signal,
          onProgress: progress,
          onItem: (item) => committed([item.id]),
        }),
      ),
    ),

  captureUrls: (input, { signal, progress }, { store, browser }) =>
    store.write(async (s, committed) => {
      const result = await captureUrls(s, {
        urls: input.urls,
        caseRef: input.caseRef,
        persona: input.persona ?? undefined,
        browser,
        malformed: 'report',
        signal,
        onProgress: progress,
        onItem: (item) => committed([item.id]),
      });
      const warnings = await captureWarnings(s, result.items);
      return { ...batchOutcome(result), ...(warnings.length > 0 ? { warnings } : {}) };
    }),

  captureLive: async (input, { signal, progress }, { store, live }) => {
    const view = liveView(live, 'capture');
    if (input.what === 'video') {
      if (!live?.openVideoEncoder) {
        throw operationFailure('this app has no video encoder for the live view; capture the page instead');
      }
      const subject = view.state?.url ?? 'the live view';
      // Limits not given in the call are the store's (Settings, capture defaults).
      const defaults = await store.read((s) => videoLimitsFrom(readCaptureSettings(s.db)));
      const limits = {
        maxBytes: input.maxBytes ?? defaults.maxBytes,
        maxSeconds: input.maxSeconds ?? defaults.maxSeconds,
      };
      const total = limits.maxBytes;
      const encoder = await live.openVideoEncoder();
      try {
        const item = await recordLiveVideo((work) => store.write(work), view, {
          caseRef: input.caseRef,
          encoder: encoder.page,
          limits,
          signal,
          onStarted: () => progress({ done: 0, total, subject, stage: 'recording' }),
          onProgress: (p) => progress({ done: p.bytes, total, subject, stage: 'recording' }),
        });
        // The video's item was committed by the recording's last write; what follows a commit
        // (its timestamp, indexing) is started here, with its id.
        await store.write((_s, committed) => committed([item.id]));
        return item;
      } finally {
        await encoder.close().catch(() => undefined);
      }
    }
    return store.write(async (s, committed) => {
      s.getCase(input.caseRef);
      const subject = view.state?.url ?? 'the live view';
      progress({ done: 0, total: 1, subject, stage: 'starting' });
      const item = await captureLive(s, view, {
        caseRef: input.caseRef,
        ...(input.what === 'region' ? { what: 'region', rect: input.region } : { what: input.what }),
        onStage: (stage) => {
          throwIfCancelled(signal);
          progress({ done: stage === 'stored' ? 1 : 0, total: 1, subject, stage });
        },
      });
      committed([item.id]);
      return item;
    });
  },

  // Only asks the recording to stop: the `captureLive` call that started it stores the video.
  stopLiveVideo: (_input, _context, { live }) => liveView(live, 'stop').stopVideo(),

  // The timestamps of new items are asked for after the capture or import was answered; the
  // screens that show an item's timestamp status call this to show the answer when it comes.
  waitForTimestamps: async (input, { signal }, { store }) => {
    await untilCancelled(store.stampsSettled(input.itemIds), signal);
    return store.exists() ? store.read((s) => timestampStatuses(s.db, input.itemIds)) : {};
  },
};

/** The live view's recording, or why there is none. */
function liveView(live: LiveViewSource | undefined, doing: 'capture' | 'stop'): LiveCapture {
  const view = live?.current();
  if (view) return view;
  if (doing === 'stop')
    throw badInput('no video of the live view is being recorded: the live browser is not open');
  throw badInput(
    live
      ? 'the live browser is not open: open it in the capture bar, load the page, then capture'
      : 'the live browser exists only in the desktop app; here, enter the address and press Capture',
  );
}

/** The core's batch result as the API carries it: each failure with its reason as text. */
function batchOutcome(result: BatchResult): BatchOutcome {
  return { items: result.items, failures: entryFailures(result.failures), cancelled: result.cancelled };
}
