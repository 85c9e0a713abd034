import type { PullOutcome, PushOutcome } from '../../../../shared/api.js';
import { problemsFailure } from '../../errors.js';
import { PullRejected, pullCase } from '../../remote/pull-case.js';
import { pushCase } from '../../remote/push-case.js';
import { listRemotes } from '../../remote/remote-queries.js';
import { remoteUrl } from '../../remote/remote-url.js';
import type { CallContext } from '../services/cancellation.js';
import type { HandlerGroup } from './handlers.js';

/** S3 remotes: the list, push and pull (the services `custos remote`, `push` and `pull` run). */
export const remoteHandlers: HandlerGroup<'listRemotes' | 'pushCase' | 'pullCase'> = {
  listRemotes: (_input, _controls, { store }) =>
    store.read((s) =>
      listRemotes(s.db).map((r) => ({
        name: r.name,
        url: remoteUrl(r),
        endpoint: r.endpoint,
        region: r.region,
      })),
    ),

  pushCase: (input, { progress }, { store }) =>
    store.write(async (s): Promise<PushOutcome> => {
      const result = await pushCase(s, remoteCall(input, progress, 'uploading'));
      return {
        remote: result.remote,
        items: result.items,
        blobsUploaded: result.blobsUploaded,
        bytesUploaded: result.bytesUploaded,
        changed: result.changed,
        objectLock: result.objectLock,
        ledgerSeq: result.ledgerEntry?.seq ?? null,
      };
    }),

  pullCase: (input, { progress }, { store }) =>
    store.write(async (s): Promise<PullOutcome> => {
      try {
        const result = await pullCase(s, remoteCall(input, progress, 'downloading'));
        return {
          remote: result.remote,
          case: result.case,
          segments: result.segments.map((seg) => ({
            investigator: seg.investigator,
            signer: seg.signer,
            new: seg.new,
            items: seg.items,
          })),
        };
      } catch (error) {
        if (!(error instanceof PullRejected)) throw error;
        throw problemsFailure(error.message, error.problems);
      }
    }),
};

/** What push and pull both take from a call: the case, the remote (unnamed: the only one) and progress under `stage`. */
function remoteCall(
  input: Readonly<{ caseRef: string; remote?: string | null }>,
  progress: CallContext['progress'],
  stage: 'uploading' | 'downloading',
) {
  return {
    caseRef: input.caseRef,
    remoteName: input.remote ?? undefined,
    onProgress: (done: number, total: number) => progress({ done, total, stage }),
  };
}
