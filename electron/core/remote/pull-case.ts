/**
 * `custos pull`: takes the other workstations' segments of a case from a remote. For each
 * workstation, the newest segment is read and checked completely (its manifest's signature by
 * the key the segment is named after, the manifest's shape, custody.jsonl's hash, chain and
 * signatures, each item's digest and the entry that signs it) and every blob a new item needs is
 * downloaded into the store's temporary folder and re-hashed. Only when everything of every
 * segment checks do blobs enter the store and, in one transaction, each segment is kept as
 * received (record-received.ts, the model `custos receive` uses) under a `remote.pull` entry
 * naming the remote and the segment's key. A tampered or missing object: exit 1 naming it, and
 * nothing is imported.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { LedgerEntry } from '../../../shared/domain.js';
import { CustodySegmentChecker } from '../bundle/custody-check.js';
import { BUNDLE_FILES, type BundleManifest, DEFAULT_ZIP_LIMITS } from '../bundle/format.js';
import { manifestSchema } from '../bundle/format-schemas.js';
import { findReceivedBundle } from '../bundle/received-queries.js';
import {
  createReceivedCase,
  ensureCase,
  keepReceived,
  type PlannedItem,
  planItems,
  type ReceivedItem,
  requireSpace,
} from '../bundle/record-received.js';
import { checkItem, custodyKeys } from '../bundle/verify-bundle.js';
import type { BundleProblem } from '../bundle/zip-reader.js';
import { badInput, integrityFailure } from '../errors.js';
import { canonicalJson, sha256Hex } from '../store/canonical-json.js';
import type { EvidenceStore } from '../store/evidence-store.js';
import * as q from '../store/queries.js';
import { keyFingerprint, verifySignature } from '../store/signing-key.js';
import { makeStoreTempDir } from '../store/store-temp.js';
import {
  blobKey,
  caseSegmentsPrefix,
  type ListedSegment,
  SEGMENT_FILES,
  segmentOfManifestKey,
} from './remote-layout.js';
import type { Remote } from './remote-queries.js';
import { remoteUrl } from './remote-url.js';
import { resolveRemote } from './resolve-remote.js';
import { describeS3Error, isNotFound, s3ClientFor } from './s3-client.js';

/** What to pull, and from where. */
export interface PullOptions {
  readonly caseRef: string;
  readonly remoteName?: string;
  /** Bytes downloaded so far of the bytes to download. */
  readonly onProgress?: (bytesDone: number, bytesTotal: number) => void;
}

/** One workstation's segment as pulled. */
export interface PulledSegment {
  readonly segment: string;
  readonly signer: string;
  readonly investigator: string;
  /** False when this segment had been pulled before: nothing changed for it. */
  readonly new: boolean;
  readonly items: readonly ReceivedItem[];
  readonly ledgerSeq: number | null;
}

/** What a pull did. */
export interface PullResult {
  readonly remote: string;
  readonly case: { readonly id: string; readonly number: string; readonly title: string };
  readonly segments: readonly PulledSegment[];
}

/** One or more objects on the remote were changed or are missing: nothing was imported. */
export class PullRejected extends Error {
  constructor(readonly problems: readonly BundleProblem[]) {
    super(`the remote's objects do not verify (${problems.length} problem(s)); nothing was imported`);
  }
}

/** A segment read and checked, with its new items' blobs downloaded. */
interface CheckedSegment {
  readonly listed: ListedSegment;
  readonly manifest: BundleManifest;
  readonly manifestBytes: Buffer;
  readonly manifestSha256: string;
  readonly signature: Buffer;
  readonly signerPem: string;
  readonly keys: Map<string, string>;
  readonly custodyLines: { seq: number; hash: string; entry: string | null }[];
  readonly alreadyPulled: boolean;
}

/** Pulls the other workstations' segments of a case. */
export async function pullCase(store: EvidenceStore, options: PullOptions): Promise<PullResult> {
  const remote = resolveRemote(store.db, options.remoteName);
  const receiver = store.requireInvestigator();
  store.signer();
  const own = new Set(q.listInvestigators(store.db).map((i) => i.keyFingerprint));
  const client = s3ClientFor(remote);
  const staging = makeStoreTempDir(store.layout, 'pull');
  try {
    const caseId = await findCaseId(store, client, remote, options.caseRef);
    const listed = newestSegments(await listManifests(client, remote, caseId)).filter(
      (s) => !own.has(s.fingerprint),
    );
    const problems: BundleProblem[] = [];
    const checked: CheckedSegment[] = [];
    for (const segment of listed) {
      const result = await readSegment(store, client, remote, caseId, segment, problems);
      if (result) checked.push(result);
    }
    // Every blob a new item needs, once: from the store when held, else downloaded and re-hashed.
    const plans = new Map<CheckedSegment, PlannedItem[]>();
    const needed = new Map<string, { itemId: string; role: string; size: number }>();
    for (const segment of checked) {
      if (segment.alreadyPulled) continue;
      const plan = planItems(store, segment.manifest);
      plans.set(segment, plan);
      for (const { item, status } of plan) {
        if (status !== 'imported') continue;
        for (const a of item.artifacts)
          if (!fs.existsSync(store.blobs.pathOf(a.sha256)))
            needed.set(a.sha256, { itemId: item.id, role: a.role, size: a.size });
      }
    }
    const total = [...needed.values()].reduce((sum, n) => sum + n.size, 0);
    // Twice: each blob is downloaded into the store's temporary folder, then copied into place.
    requireSpace(store, 2 * total, 'pulling', 'pulled');
    const downloads = new Map<string, string>();
    let bytes = 0;
    for (const [sha256, want] of needed) {
      const file = path.join(staging, sha256);
      const key = blobKey(remote, sha256);
      const got = await download(client, remote, key, file, (n) => options.onProgress?.(bytes + n, total));
      if (got === null) {
        problems.push({
          path: key,
          problem: `is missing on the remote (item ${want.itemId}'s ${want.role})`,
        });
        continue;
      }
      bytes += got.size;
      if (got.sha256 !== sha256 || got.size !== want.size) {
        problems.push({
          path: key,
          problem: `hashes to ${got.sha256} (${got.size} bytes), not the ${sha256} (${want.size} bytes) item ${want.itemId}'s signed record names: the object was changed`,
        });
        continue;
      }
      downloads.set(sha256, file);
    }
    if (problems.length > 0) throw new PullRejected(problems);
    for (const file of downloads.values()) await store.blobs.putOwnFile(file);

    const first = checked[0];
    const localCase = q.findCase(store.db, caseId);
    if (!first && !localCase)
      throw badInput(
        `remote ${remote.name} holds no segment of case ${options.caseRef} from another workstation`,
      );
    const caseRow = first ? ensureCase(store, first.manifest) : { value: localCase!, created: false };
    const pulled = store.transaction((db) => {
      createReceivedCase(
        store,
        db,
        caseRow,
        `${remoteUrl(remote)}${caseSegmentsPrefix({ bucket: remote.bucket, prefix: '' }, caseId)}`,
      );
      return checked.map((segment) => {
        const manifest = segment.manifest;
        const plan = plans.get(segment);
        if (!plan) return pulledBefore(store, segment);
        const entry = store.appendInTransaction(db, {
          action: 'remote.pull',
          caseId: caseRow.value.id,
          subject: caseRow.value.id,
          details: {
            remote: remote.name,
            url: remoteUrl(remote),
            endpoint: remote.endpoint,
            segment: segment.listed.prefix,
            sha256: segment.manifestSha256,
            zipSha256: segment.manifestSha256,
            manifestSha256: segment.manifestSha256,
            signer: segment.listed.fingerprint,
            keys: [...segment.keys.keys()],
            exporter: {
              name: manifest.exporter.name,
              agency: manifest.exporter.agency,
              badge: manifest.exporter.badge,
            },
            exportedAt: manifest.exportedAt,
            senderCase: manifest.case,
            senderCustodyHead: { seq: manifest.custody.lastSeq, hash: manifest.custody.headHash },
            items: plan.map((p) => ({ id: p.item.id, digest: p.item.digest, status: p.status })),
            receivedBy: { name: receiver.name, agency: receiver.agency, badge: receiver.badge },
          },
        });
        keepReceived(store, db, entry, plan, {
          zipSha256: segment.manifestSha256,
          fileSha256: segment.manifestSha256,
          fileName: `${remoteUrl(remote)}${segment.listed.prefix.slice(remote.prefix.length)}${SEGMENT_FILES.manifest}`,
          caseId: caseRow.value.id,
          manifest,
          manifestBytes: segment.manifestBytes,
          signature: segment.signature,
          signer: segment.listed.fingerprint,
          signerPem: segment.signerPem,
          custodyLines: segment.custodyLines,
          keys: segment.keys,
        });
        return pulledSegment(segment, plan, entry, true);
      });
    });
    return {
      remote: remote.name,
      case: { id: caseRow.value.id, number: caseRow.value.number, title: caseRow.value.title },
      segments: pulled,
    };
  } catch (error) {
    if (
      (error as { $metadata?: unknown }).$metadata !== undefined ||
      (error as Error).name === 'CredentialsProviderError'
    )
      throw describeS3Error(error, remote, 'the pull');
    throw error;
  } finally {
    client.destroy();
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

function pulledSegment(
  segment: CheckedSegment,
  plan: readonly PlannedItem[],
  entry: LedgerEntry | null,
  isNew: boolean,
): PulledSegment {
  return {
    segment: segment.listed.prefix,
    signer: segment.listed.fingerprint,
    investigator: segment.manifest.exporter.name,
    new: isNew,
    items: plan.map((p) => ({ id: p.item.id, digest: p.item.digest, status: p.status })),
    ledgerSeq: entry?.seq ?? null,
  };
}

function pulledBefore(store: EvidenceStore, segment: CheckedSegment): PulledSegment {
  const earlier = findReceivedBundle(store.db, segment.manifestSha256);
  const plan = segment.manifest.items.map((item) => ({ item, status: 'already-held' as const }));
  return { ...pulledSegment(segment, plan, null, false), ledgerSeq: earlier?.ledgerSeq ?? null };
}

/** The case's id: this store's case, else a case id the remote holds segments of. */
async function findCaseId(
  store: EvidenceStore,
  client: S3Client,
  remote: Remote,
  ref: string,
): Promise<string> {
  const local = q.findCase(store.db, ref);
  if (local) return local.id;
  const found = await client.send(
    new ListObjectsV2Command({ Bucket: remote.bucket, Prefix: caseSegmentsPrefix(remote, ref), MaxKeys: 1 }),
  );
  if ((found.KeyCount ?? 0) > 0) return ref;
  throw badInput(
    `case ${ref} is neither in this store nor on remote ${remote.name}; name a case by its id (as \`custos case show\` prints it on the workstation that made it)`,
  );
}

/** Every segment manifest of the case on the remote. */
async function listManifests(client: S3Client, remote: Remote, caseId: string): Promise<ListedSegment[]> {
  const prefix = caseSegmentsPrefix(remote, caseId);
  const segments: ListedSegment[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: remote.bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const object of page.Contents ?? []) {
      const segment = object.Key ? segmentOfManifestKey(prefix, object.Key) : null;
      if (segment) segments.push(segment);
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return segments;
}

/** Each workstation's newest segment (its ledger only grows: the newest holds all it pushed). */
function newestSegments(segments: readonly ListedSegment[]): ListedSegment[] {
  const newest = new Map<string, ListedSegment>();
  for (const s of segments) if ((newest.get(s.fingerprint)?.seq ?? -1) < s.seq) newest.set(s.fingerprint, s);
  return [...newest.values()];
}

/** Reads one segment and checks everything but the blobs; problems are added to `problems`. */
async function readSegment(
  store: EvidenceStore,
  client: S3Client,
  remote: Remote,
  caseId: string,
  listed: ListedSegment,
  problems: BundleProblem[],
): Promise<CheckedSegment | null> {
  const at = (name: string) => `${listed.prefix}${name}`;
  const say = (name: string, problem: string) => problems.push({ path: at(name), problem });
  const limit = DEFAULT_ZIP_LIMITS.maxControlFileBytes;
  const [manifestBytes, signature, signerBytes, custodyBytes] = await Promise.all(
    [SEGMENT_FILES.manifest, SEGMENT_FILES.signature, SEGMENT_FILES.signerKey, SEGMENT_FILES.custody].map(
      (name) => readSmall(client, remote, at(name), limit),
    ),
  );
  const before = problems.length;
  for (const [name, bytes] of [
    [SEGMENT_FILES.manifest, manifestBytes],
    [SEGMENT_FILES.signature, signature],
    [SEGMENT_FILES.signerKey, signerBytes],
    [SEGMENT_FILES.custody, custodyBytes],
  ] as const)
    if (!bytes) say(name, 'is missing on the remote');
  if (!manifestBytes || !signature || !signerBytes || !custodyBytes) return null;

  const signerPem = signerBytes.toString('utf8');
  let fingerprint: string | null = null;
  try {
    fingerprint = keyFingerprint(signerPem);
  } catch {
    say(SEGMENT_FILES.signerKey, 'is not a public key');
  }
  if (fingerprint && fingerprint !== listed.fingerprint)
    say(
      SEGMENT_FILES.signerKey,
      `has the fingerprint ${fingerprint}, not ${listed.fingerprint} its folder names`,
    );
  if (fingerprint && !verifySignature(signerPem, manifestBytes, signature))
    say(
      SEGMENT_FILES.signature,
      "does not verify the manifest with the segment's key: manifest or signature changed",
    );
  let manifest: BundleManifest | null = null;
  try {
    const parsed = manifestSchema.safeParse(JSON.parse(manifestBytes.toString('utf8')));
    if (parsed.success) manifest = parsed.data;
    else say(SEGMENT_FILES.manifest, `is not a segment manifest: ${parsed.error.issues[0]?.message}`);
  } catch {
    say(SEGMENT_FILES.manifest, 'is not valid JSON');
  }
  if (!manifest) return null;
  if (manifest.exporter.keyFingerprint !== listed.fingerprint)
    say(
      SEGMENT_FILES.manifest,
      `names the exporter's key ${manifest.exporter.keyFingerprint}, not the segment's`,
    );
  if (manifest.case.id !== caseId) say(SEGMENT_FILES.manifest, `belongs to case ${manifest.case.id}`);
  const listedCustody = manifest.files.find((f) => f.path === BUNDLE_FILES.custody);
  if (
    !listedCustody ||
    sha256Hex(custodyBytes) !== listedCustody.sha256 ||
    custodyBytes.length !== listedCustody.size
  )
    say(SEGMENT_FILES.custody, 'differs from the custody file the signed manifest lists: it was changed');

  const keyProblems: BundleProblem[] = [];
  const keys = custodyKeys(manifest, listed.fingerprint, signerPem, keyProblems);
  for (const p of keyProblems) say(SEGMENT_FILES.manifest, p.problem);
  const checker = new CustodySegmentChecker((fpr) => keys.get(fpr));
  const text = custodyBytes.toString('utf8');
  const lines = text.split('\n').filter((line) => line !== '');
  for (const line of lines) checker.checkLine(line);
  for (const p of checker.problems) say(SEGMENT_FILES.custody, `line ${p.line}: ${p.problem}`);
  const span = checker.span;
  if (!span || span.lastSeq !== manifest.custody.lastSeq || span.headHash !== manifest.custody.headHash)
    say(SEGMENT_FILES.custody, 'does not end at the custody head the signed manifest names');
  for (const item of manifest.items) {
    for (const p of checkItem(item, manifest, checker.entriesBySubject.get(item.id) ?? []))
      say(SEGMENT_FILES.manifest, `${p.path}: ${p.problem}`);
  }
  if (problems.length > before) return null;
  const manifestSha256 = sha256Hex(manifestBytes);
  return {
    listed,
    manifest,
    manifestBytes,
    manifestSha256,
    signature,
    signerPem,
    keys,
    custodyLines: lines.map((line) => {
      const value = JSON.parse(line) as { seq: number; hash: string; omitted?: true };
      return { seq: value.seq, hash: value.hash, entry: value.omitted ? null : canonicalJson(value) };
    }),
    alreadyPulled: findReceivedBundle(store.db, manifestSha256) !== undefined,
  };
}

/** A small object's bytes (at most `limit`), or null when it is missing. */
async function readSmall(
  client: S3Client,
  remote: Remote,
  key: string,
  limit: number,
): Promise<Buffer | null> {
  try {
    const answer = await client.send(new GetObjectCommand({ Bucket: remote.bucket, Key: key }));
    if ((answer.ContentLength ?? 0) > limit) throw integrityFailure(`${key} is larger than ${limit} bytes`);
    return Buffer.from(await answer.Body!.transformToByteArray());
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

/** Streams an object into a file, hashing as it goes; null when it is missing. */
async function download(
  client: S3Client,
  remote: Remote,
  key: string,
  file: string,
  onBytes: (bytes: number) => void,
): Promise<{ sha256: string; size: number } | null> {
  let body: Readable;
  try {
    const answer = await client.send(new GetObjectCommand({ Bucket: remote.bucket, Key: key }));
    body = answer.Body as Readable;
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
  const hash = createHash('sha256');
  const out = fs.createWriteStream(file, { flags: 'wx', mode: 0o600 });
  let size = 0;
  for await (const chunk of body) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
    onBytes(size);
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
  return { sha256: hash.digest('hex'), size };
}
