import fs from 'node:fs';
import path from 'node:path';
import type { ReceiveOutcome } from '../../../../shared/api.js';
import { exportBundle } from '../../bundle/export-bundle.js';
import { BundleRejected, receiveBundle } from '../../bundle/receive-bundle.js';
import { verifyBundle } from '../../bundle/verify-bundle.js';
import { problemsFailure } from '../../errors.js';
import { untilCancelled } from '../services/cancellation.js';
import type { HandlerGroup } from './handlers.js';

/** Export, verify and receive of sealed bundles. */
export const bundleHandlers: HandlerGroup<'exportBundle' | 'verifyBundle' | 'receiveBundle'> = {
  // A cancel stops the export at its next step or inside the artifact being written, up to the
  // commit of its custody entry; it leaves no bundle, no temporary file and no entry.
  exportBundle: (input, { signal, progress }, { store, exportDir, printer }) =>
    store.write(async (s) => {
      const out = path.resolve(input.out);
      // The suggested folder is made on first use; any other folder must already exist.
      if (path.dirname(out) === path.resolve(exportDir)) fs.mkdirSync(exportDir, { recursive: true });
      const result = await exportBundle(s, {
        caseRef: input.caseRef,
        out,
        itemRefs: input.itemIds,
        printer,
        signal,
        onProgress: (done, total) => progress({ done, total, stage: 'writing' }),
      });
      return {
        file: result.file,
        sha256: result.sha256,
        size: result.size,
        items: result.items,
        signer: result.signer,
        ledgerSeq: result.ledgerEntry.seq,
      };
    }),

  // Verifying only reads the bundle: a cancel answers at once.
  verifyBundle: (input, { signal, progress }) => {
    progress({ done: 0, total: 1, stage: 'verifying' });
    return untilCancelled(
      verifyBundle(input.path, { expectSigner: input.expectSigner ?? undefined }),
      signal,
    );
  },

  receiveBundle: (input, { progress }, { store }) =>
    store.write(async (s): Promise<ReceiveOutcome> => {
      progress({ done: 0, total: 1, stage: 'verifying' });
      try {
        const result = await receiveBundle(s, input.path, { expectSigner: input.expectSigner ?? undefined });
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
