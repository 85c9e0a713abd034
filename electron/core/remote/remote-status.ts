/** `custos remote status`: whether each remote answers with the credentials at hand, and whether its bucket has Object Lock. */
import type { EvidenceStore } from '../store/evidence-store.js';
import { bucketHasObjectLock } from './push-case.js';
import { listRemotes, type Remote } from './remote-queries.js';
import { remoteUrl } from './remote-url.js';
import { resolveRemote } from './resolve-remote.js';
import { describeS3Error, s3ClientFor } from './s3-client.js';

/** One remote's state. */
export interface RemoteStatus {
  readonly name: string;
  readonly url: string;
  readonly endpoint: string | null;
  readonly reachable: boolean;
  /** Null when the bucket could not be asked. */
  readonly objectLock: boolean | null;
  /** What went wrong, when not reachable. */
  readonly problem: string | null;
}

/** The state of one remote (named) or of all. */
export async function remoteStatus(store: EvidenceStore, name?: string): Promise<RemoteStatus[]> {
  const chosen = name === undefined ? listRemotes(store.db) : [resolveRemote(store.db, name)];
  return Promise.all(chosen.map(statusOf));
}

async function statusOf(remote: Remote): Promise<RemoteStatus> {
  const client = s3ClientFor(remote);
  const base = { name: remote.name, url: remoteUrl(remote), endpoint: remote.endpoint };
  try {
    const objectLock = await bucketHasObjectLock(client, remote);
    return { ...base, reachable: true, objectLock, problem: null };
  } catch (error) {
    return {
      ...base,
      reachable: false,
      objectLock: null,
      problem: describeS3Error(error, remote, 'asking the bucket').message,
    };
  } finally {
    client.destroy();
  }
}
