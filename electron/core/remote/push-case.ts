/**
 * `custos push`: uploads what the remote lacks of this workstation's part of a case: each artifact
 * as a blob keyed by its SHA-256 (Content-MD5 on every body, multipart for large ones, a file
 * streamed in parts so memory stays bounded), then the signed segment, its manifest last (a
 * segment without its manifest is not yet a segment). Objects get the case's Object Lock
 * retention and legal hold where the bucket has Object Lock. Keys never change content, so a push
 * killed at any moment is resumed by pushing again (objects already there are skipped), and a
 * push of an unchanged case writes nothing. One `remote.push` custody entry records what was sent.
 */
import fs from 'node:fs';
import {
  AbortMultipartUploadCommand,
  GetObjectLockConfigurationCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  type ObjectLockLegalHoldStatus,
  type ObjectLockMode,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { LedgerEntry } from '../../../shared/domain.js';
import { badInput } from '../errors.js';
import { sha256Hex } from '../store/canonical-json.js';
import type { EvidenceStore } from '../store/evidence-store.js';
import { blobKey, SEGMENT_FILES, segmentPrefix } from './remote-layout.js';
import { type CaseRetention, findCaseRetention, putCaseRetention, type Remote } from './remote-queries.js';
import { remoteUrl } from './remote-url.js';
import { resolveRemote } from './resolve-remote.js';
import { describeS3Error, isNotFound, s3ClientFor } from './s3-client.js';
import { buildSegment } from './segment.js';

/** What to push, where, and with which retention. */
export interface PushOptions {
  readonly caseRef: string;
  readonly remoteName?: string;
  /** Sets the case's retention for this and later pushes. */
  readonly retention?: CaseRetention;
  /** Bytes sent so far of the bytes to send. */
  readonly onProgress?: (bytesDone: number, bytesTotal: number) => void;
  readonly now?: Date;
}

/** What a push did. */
export interface PushResult {
  readonly remote: string;
  readonly case: { readonly id: string; readonly number: string };
  /** The segment's key prefix on the remote. */
  readonly segment: string;
  readonly items: number;
  readonly blobsUploaded: number;
  readonly blobsPresent: number;
  readonly bytesUploaded: number;
  /** False when the remote already held everything: nothing was written and no entry appended. */
  readonly changed: boolean;
  readonly objectLock: boolean;
  readonly retention: CaseRetention | null;
  readonly ledgerEntry: LedgerEntry | null;
}

/** Part size of multipart uploads; at most QUEUE_SIZE parts are in memory at once. */
const PART_SIZE = 8 * 1024 * 1024;
const QUEUE_SIZE = 2;

/** Pushes this workstation's part of a case to a remote. */
export async function pushCase(store: EvidenceStore, options: PushOptions): Promise<PushResult> {
  const remote = resolveRemote(store.db, options.remoteName);
  const caseRow = store.getCase(options.caseRef);
  const client = s3ClientFor(remote);
  try {
    const objectLock = await bucketHasObjectLock(client, remote);
    if (options.retention && !objectLock)
      throw badInput(
        `the bucket ${remote.bucket} has no Object Lock, so it cannot keep a retention; push without --retention-days, or use a bucket created with Object Lock (nothing was pushed)`,
      );
    const now = options.now ?? new Date();
    if (options.retention)
      store.transaction((db) => putCaseRetention(db, caseRow.id, options.retention!, now.toISOString()));
    const retention = objectLock ? (findCaseRetention(store.db, caseRow.id) ?? null) : null;
    const lock = lockParams(retention, now);

    const segment = buildSegment(store, caseRow, now);
    const prefix = segmentPrefix(remote, caseRow.id, segment.fingerprint, segment.head);
    const blobs = new Map<string, { file: string; size: number }>();
    for (const item of segment.items)
      for (const [i, a] of item.manifest.artifacts.entries())
        blobs.set(a.sha256, { file: item.blobFiles[i]!, size: a.size });
    const segmentFiles: [string, Buffer][] = [
      [SEGMENT_FILES.custody, Buffer.from(segment.custodyText, 'utf8')],
      [SEGMENT_FILES.signerKey, Buffer.from(segment.signerPem, 'utf8')],
      [SEGMENT_FILES.signature, segment.signature],
      [SEGMENT_FILES.manifest, segment.manifestBytes],
    ];

    const missing: { sha256: string; file: string; size: number }[] = [];
    for (const [sha256, blob] of blobs) {
      if (!(await objectExists(client, remote, blobKey(remote, sha256), blob.size)))
        missing.push({ sha256, ...blob });
    }
    const manifestThere = await objectExists(client, remote, `${prefix}${SEGMENT_FILES.manifest}`);
    const total = missing.reduce((sum, b) => sum + b.size, 0);
    let done = 0;
    options.onProgress?.(0, total);
    for (const blob of missing) {
      const key = blobKey(remote, blob.sha256);
      await abortLeftUploads(client, remote, key);
      await upload(client, remote, key, fs.createReadStream(blob.file), lock, (loaded) =>
        options.onProgress?.(done + loaded, total),
      );
      done += blob.size;
      options.onProgress?.(done, total);
    }
    if (!manifestThere) {
      for (const [name, bytes] of segmentFiles) await upload(client, remote, `${prefix}${name}`, bytes, lock);
    }
    const changed = missing.length > 0 || !manifestThere;
    const ledgerEntry = changed
      ? store.transaction((db) =>
          store.appendInTransaction(db, {
            action: 'remote.push',
            caseId: caseRow.id,
            subject: caseRow.id,
            details: {
              remote: remote.name,
              url: remoteUrl(remote),
              endpoint: remote.endpoint,
              segment: prefix,
              manifestSha256: sha256Hex(segment.manifestBytes),
              custodyHead: segment.head,
              items: segment.items.map((i) => ({ id: i.stored.id, digest: i.stored.digest })),
              blobsUploaded: missing.map((b) => b.sha256),
              bytesUploaded: total,
              objectLock: lock
                ? {
                    mode: lock.ObjectLockMode,
                    retainUntil: lock.ObjectLockRetainUntilDate.toISOString(),
                    legalHold: lock.ObjectLockLegalHoldStatus === 'ON',
                  }
                : null,
            },
          }),
        )
      : null;
    return {
      remote: remote.name,
      case: { id: caseRow.id, number: caseRow.number },
      segment: prefix,
      items: segment.items.length,
      blobsUploaded: missing.length,
      blobsPresent: blobs.size - missing.length,
      bytesUploaded: total,
      changed,
      objectLock,
      retention,
      ledgerEntry,
    };
  } catch (error) {
    if (
      (error as { $metadata?: unknown }).$metadata !== undefined ||
      (error as Error).name === 'CredentialsProviderError'
    )
      throw describeS3Error(error, remote, 'the push');
    throw error;
  } finally {
    client.destroy();
  }
}

/** Object Lock headers for a new object, or null when the case has no retention. */
function lockParams(retention: CaseRetention | null, now: Date) {
  if (!retention) return null;
  return {
    ObjectLockMode: retention.mode as ObjectLockMode,
    ObjectLockRetainUntilDate: new Date(now.getTime() + retention.days * 86_400_000),
    ObjectLockLegalHoldStatus: (retention.legalHold ? 'ON' : 'OFF') as ObjectLockLegalHoldStatus,
  };
}

/** Whether the bucket was created with Object Lock (a bucket without it answers with an error). */
export async function bucketHasObjectLock(client: S3Client, remote: Remote): Promise<boolean> {
  try {
    const answer = await client.send(new GetObjectLockConfigurationCommand({ Bucket: remote.bucket }));
    return answer.ObjectLockConfiguration?.ObjectLockEnabled === 'Enabled';
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'ObjectLockConfigurationNotFoundError' || (isNotFound(error) && name !== 'NoSuchBucket'))
      return false;
    throw error;
  }
}

/** Whether the object is there (with this size, when given: a different size is re-uploaded). */
async function objectExists(client: S3Client, remote: Remote, key: string, size?: number): Promise<boolean> {
  try {
    const head = await client.send(new HeadObjectCommand({ Bucket: remote.bucket, Key: key }));
    return size === undefined || head.ContentLength === size;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

/** Aborts the multipart uploads of this key that a killed push left behind (their parts cost storage). */
async function abortLeftUploads(client: S3Client, remote: Remote, key: string): Promise<void> {
  const listed = await client.send(new ListMultipartUploadsCommand({ Bucket: remote.bucket, Prefix: key }));
  for (const left of listed.Uploads ?? []) {
    if (left.Key !== key || !left.UploadId) continue;
    await client.send(
      new AbortMultipartUploadCommand({ Bucket: remote.bucket, Key: key, UploadId: left.UploadId }),
    );
  }
}

/** Uploads one object with lib-storage (one PUT when small, else parts of PART_SIZE). */
async function upload(
  client: S3Client,
  remote: Remote,
  key: string,
  body: fs.ReadStream | Buffer,
  lock: ReturnType<typeof lockParams>,
  onLoaded?: (bytes: number) => void,
): Promise<void> {
  const task = new Upload({
    client,
    params: { Bucket: remote.bucket, Key: key, Body: body, ...(lock ?? {}) },
    partSize: PART_SIZE,
    queueSize: QUEUE_SIZE,
    leavePartsOnError: false,
  });
  if (onLoaded) task.on('httpUploadProgress', (p) => onLoaded(p.loaded ?? 0));
  await task.done();
}
