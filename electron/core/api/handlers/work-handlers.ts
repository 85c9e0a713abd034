import type { BatchOutcome } from '../../../../shared/api.js';
import type { ItemSummary } from '../../../../shared/domain.js';
import { runAudit } from '../../audit/run-audit.js';
import { captureLive, captureUrls, recordLiveVideo } from '../../capture/capture-service.js';
import { parseCaptureUrl } from '../../capture/capture-url.js';
import type { LiveCapture } from '../../capture/live/live-capture.js';
import { badInput, CustosError, operationFailure } from '../../errors.js';
import { importFile } from '../../import/import-file.js';
import { isCancel, throwIfCancelled } from '../services/cancellation.js';
import type { HandlerGroup, LiveViewSource } from './handlers.js';

/** Long work on the store: audit, import and capture, each with progress and a cancel. */
export const workHandlers: HandlerGroup<
  'auditStore' | 'importFiles' | 'captureUrls' | 'captureLive' | 'stopLiveVideo'
> = {
  // An audit only reads: a cancel answers at once; the audit finishes unseen and changes nothing.
  auditStore: (_input, { signal, progress }, { store }) =>
    store.readCancellable(
      (s) => runAudit(s, (p) => progress({ done: p.done, total: p.total, stage: p.label })),
      signal,
    ),

  importFiles: (input, { signal, progress }, { store }) =>
    store.write(async (s) => {
      s.getCase(input.caseRef); // a wrong case is refused before any file is read
      return runBatch(input.paths, signal, async (file, index) => {
        progress({ done: index, total: input.paths.length, subject: file, stage: 'importing' });
        return importFile(s, input.caseRef, file, () => throwIfCancelled(signal));
      });
    }),

  captureUrls: (input, { signal, progress }, { store, browser }) => {
    const urls = input.urls.map((u) => parseCaptureUrl(u)); // every URL is checked before a browser starts
    return store.write(async (s) => {
      s.getCase(input.caseRef);
      return runBatch(
        urls.map((u) => u.href),
        signal,
        async (href, index) => {
          progress({ done: index, total: urls.length, subject: href, stage: 'starting' });
          const outcome = await captureUrls(s, {
            urls: [new URL(href)],
            caseRef: input.caseRef,
            persona: input.persona ?? undefined,
            browser,
            onStage: (_url, stage) => {
              // Throwing here stops this page at the next stage; nothing of it is stored.
              throwIfCancelled(signal);
              progress({ done: index, total: urls.length, subject: href, stage });
            },
          });
          const failure = outcome.failures[0];
          if (failure) throw failure.error;
          const item = outcome.items[0];
          if (!item) throw new Error(`the capture of ${href} returned no item`);
          return item;
        },
      );
    });
  },

  captureLive: async (input, { signal, progress }, { store, live }) => {
    const view = liveView(live, 'capture');
    if (input.what === 'video') {
      if (!live?.openVideoEncoder) {
        throw operationFailure('this app has no video encoder for the live view; capture the page instead');
      }
      const subject = view.state?.url ?? 'the live view';
      const total = input.maxBytes;
      const encoder = await live.openVideoEncoder();
      try {
        return await recordLiveVideo((work) => store.write(work), view, {
          caseRef: input.caseRef,
          encoder: encoder.page,
          limits: { maxBytes: input.maxBytes, maxSeconds: input.maxSeconds },
          signal,
          onStarted: () => progress({ done: 0, total, subject, stage: 'recording' }),
          onProgress: (p) => progress({ done: p.bytes, total, subject, stage: 'recording' }),
        });
      } finally {
        await encoder.close().catch(() => undefined);
      }
    }
    return store.write(async (s) => {
      s.getCase(input.caseRef);
      const subject = view.state?.url ?? 'the live view';
      progress({ done: 0, total: 1, subject, stage: 'starting' });
      return captureLive(s, view, {
        caseRef: input.caseRef,
        ...(input.what === 'region' ? { what: 'region', rect: input.region } : { what: input.what }),
        onStage: (stage) => {
          throwIfCancelled(signal);
          progress({ done: stage === 'stored' ? 1 : 0, total: 1, subject, stage });
        },
      });
    });
  },

  // Only asks the recording to stop: the `captureLive` call that started it stores the video.
  stopLiveVideo: (_input, _context, { live }) => liveView(live, 'stop').stopVideo(),
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

/**
 * Runs one step per subject, in order. A failed subject is reported and the others go on; a
 * cancel stops before the next subject (and inside the current one, where the step allows it).
 */
async function runBatch(
  subjects: readonly string[],
  signal: AbortSignal,
  step: (subject: string, index: number) => Promise<ItemSummary>,
): Promise<BatchOutcome> {
  const items: ItemSummary[] = [];
  const failures: { subject: string; message: string }[] = [];
  for (const [index, subject] of subjects.entries()) {
    if (signal.aborted) return { items, failures, cancelled: true };
    try {
      items.push(await step(subject, index));
    } catch (error) {
      if (isCancel(error) || signal.aborted) return { items, failures, cancelled: true };
      if (!(error instanceof CustosError) && !(error instanceof Error)) throw error;
      failures.push({ subject, message: error.message });
    }
  }
  return { items, failures, cancelled: false };
}
