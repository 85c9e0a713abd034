/**
 * Where a case's objects live under a remote's prefix. Blobs are shared by every case and
 * workstation (`blobs/sha256/<hex>`: the same bytes are one object); each push of a workstation
 * writes a new, never-overwritten segment `cases/<case-id>/segments/<key fingerprint>/<seq>-<hash>/`
 * named by the last custody entry it carries, so two workstations never write the same key.
 */
import type { RemoteLocation } from './remote-url.js';

/** The files of a segment: a bundle manifest, its signature and key, and the custody lines. */
export const SEGMENT_FILES = {
  manifest: 'manifest.json',
  signature: 'manifest.sig',
  signerKey: 'signer.pem',
  custody: 'custody.jsonl',
} as const;

/** The key of the blob with this SHA-256. */
export function blobKey(remote: RemoteLocation, sha256: string): string {
  return `${remote.prefix}blobs/sha256/${sha256}`;
}

/** The key prefix under which every workstation's segments of a case live. */
export function caseSegmentsPrefix(remote: RemoteLocation, caseId: string): string {
  return `${remote.prefix}cases/${encodeURIComponent(caseId)}/segments/`;
}

/** The key prefix of one segment (sequence numbers zero-padded so that keys sort by them). */
export function segmentPrefix(
  remote: RemoteLocation,
  caseId: string,
  fingerprint: string,
  head: { readonly seq: number; readonly hash: string },
): string {
  return `${caseSegmentsPrefix(remote, caseId)}${fingerprint}/${String(head.seq).padStart(12, '0')}-${head.hash.slice(0, 16)}/`;
}

/** A segment found in a listing: whose it is and where its files are. */
export interface ListedSegment {
  readonly fingerprint: string;
  readonly seq: number;
  readonly prefix: string;
}

/** Reads a manifest key of a listing back into its segment, or null for any other key. */
export function segmentOfManifestKey(casePrefix: string, key: string): ListedSegment | null {
  if (!key.startsWith(casePrefix)) return null;
  const match = /^([0-9a-f]{64})\/(\d{12})-[0-9a-f]{16}\/manifest\.json$/.exec(key.slice(casePrefix.length));
  if (!match) return null;
  return {
    fingerprint: match[1]!,
    seq: Number(match[2]),
    prefix: key.slice(0, key.length - SEGMENT_FILES.manifest.length),
  };
}
