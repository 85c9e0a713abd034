/** `s3://BUCKET/PREFIX`, the address of a remote: parsed and checked before anything is stored. */
import { badInput } from '../errors.js';

/** Where a remote's objects live: a bucket, and a key prefix that is empty or ends with `/`. */
export interface RemoteLocation {
  readonly bucket: string;
  readonly prefix: string;
}

// S3's bucket naming rules (lowercase letters, digits, dots and hyphens; 3 to 63 characters).
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Parses `s3://BUCKET/PREFIX`; bad input (exit 2) with what to write instead. */
export function parseRemoteUrl(url: string): RemoteLocation {
  const match = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(url);
  if (!match) throw badInput(`${url} is not an S3 address; write it as s3://BUCKET/PREFIX`);
  const bucket = match[1]!;
  if (!BUCKET.test(bucket))
    throw badInput(
      `${bucket} is not a valid bucket name (3 to 63 lowercase letters, digits, dots or hyphens)`,
    );
  const parts = (match[2] ?? '').split('/').filter((part) => part !== '');
  if (parts.some((part) => part === '.' || part === '..'))
    throw badInput(`the prefix of ${url} may not hold . or .. segments`);
  return { bucket, prefix: parts.length === 0 ? '' : `${parts.join('/')}/` };
}

/** The address as the user writes it. */
export function remoteUrl(location: RemoteLocation): string {
  return `s3://${location.bucket}/${location.prefix}`;
}
