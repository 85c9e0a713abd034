import fs from 'node:fs';
import path from 'node:path';
import type { ExportOutcome, ReceiveOutcome } from '../../../../shared/api.js';
import { exportBundle } from '../../bundle/export-bundle.js';
import { BundleRejected, receiveBundle } from '../../bundle/receive-bundle.js';
import { verifyBundle } from '../../bundle/verify-bundle.js';
import { problemsFailure, WINDOW_AGAIN } from '../../errors.js';
import { readRecipientRoots } from '../../timestamp/recipient-roots.js';
import { exportWacz } from '../../wacz/export-wacz.js';
import { verifyWacz } from '../../wacz/verify-wacz.js';
import { untilCancelled } from '../services/cancellation.js';
import type { HandlerGroup } from './handlers.js';

/** Export, verify and receive of sealed bundles, and export and verify of WACZ web archives. */
export const bundleHandlers: HandlerGroup<
  'exportBundle' | 'verifyBundle' | 'receiveBundle' | 'exportWacz' | 'verifyWacz'
> = {
  // A cancel stops the export at its next step or inside the artifact being written, up to the
  // commit of its custody entry; it leaves no bundle, no temporary file and no entry.
  exportBundle: (input, { signal, progress }, { store, exportDir, printer }) =>
    store.write(async (s) => {
      const out = prepareTarget(input.out, exportDir);
      const result = await exportBundle(s, {
        caseRef: input.caseRef,
        out,
        itemRefs: input.itemIds,
        printer,
        signal,
        onProgress: (done, total, stage) => progress({ done, total, stage }),
      });
      return exportOutcome(result);
    }),

  // Verifying only reads the bundle: a cancel answers at once.
  verifyBundle: (input, { signal, progress }) => {
    progress({ done: 0, total: 1, stage: 'verifying' });
    return untilCancelled(
      verifyBundle(input.path, {
        expectSigner: input.expectSigner ?? undefined,
        tsaRootsPem: readRecipientRoots(input.tsaRoots ?? []),
        next: WINDOW_AGAIN,
      }),
      signal,
    );
  },

  // The same service as `custos export --format wacz`: its refusals (not a .wacz name, no page
  // capture in the case, an item that is not one) come back as bad input with the same words.
  exportWacz: (input, { progress }, { store, exportDir }) =>
    store.write(async (s) => {
      progress({ done: 0, total: 1, stage: 'writing' });
      const result = await exportWacz(s, {
        caseRef: input.caseRef,
        out: prepareTarget(input.out, exportDir),
        itemRefs: input.itemIds,
      });
      return exportOutcome(result);
    }),

  // Verifying only reads the WACZ: a cancel answers at once.
  verifyWacz: (input, { signal, progress }) => {
    progress({ done: 0, total: 1, stage: 'verifying' });
    return untilCancelled(
      verifyWacz(input.path, {
        expectSigner: input.expectSigner ?? undefined,
        tsaRootsPem: readRecipientRoots(input.tsaRoots ?? []),
        next: WINDOW_AGAIN,
      }),
      signal,
    );
  },

  receiveBundle: (input, { progress }, { store }) =>
    store.write(async (s): Promise<ReceiveOutcome> => {
      progress({ done: 0, total: 1, stage: 'verifying' });
      try {
        const result = await receiveBundle(s, input.path, {
          expectSigner: input.expectSigner ?? undefined,
          next: WINDOW_AGAIN,
        });
        return {
          alreadyReceived: result.alreadyReceived,
          fileSha256: result.fileSha256,
          signer: result.signer,
          case: result.case,
          items: result.items,
          ledgerSeq: result.ledgerSeq,
        };
      } catch (error) {
        if (!(error instanceof BundleRejected)) throw error;
        throw problemsFailure(error.message, error.report.problems);
      }
    }),
};

/** The export's absolute path; the suggested folder is made on first use, any other must already exist. */
function prepareTarget(out: string, exportDir: string): string {
  const target = path.resolve(out);
  if (path.dirname(target) === path.resolve(exportDir)) fs.mkdirSync(exportDir, { recursive: true });
  return target;
}

/** What an export of either format answers: the file written, its hash and size, its items, signer and custody entry. */
function exportOutcome(
  result: Omit<ExportOutcome, 'ledgerSeq'> & { readonly ledgerEntry: { readonly seq: number } },
): ExportOutcome {
  return {
    file: result.file,
    sha256: result.sha256,
    size: result.size,
    items: result.items,
    signer: result.signer,
    ledgerSeq: result.ledgerEntry.seq,
  };
}
