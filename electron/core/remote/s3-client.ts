/**
 * The S3 client for a remote (the AWS SDK, nothing hand-written): path-style addressing (Ceph,
 * MinIO and most on-premises engines need it), checksums only where an operation requires them
 * (the SDK's default streams `x-amz-checksum-*` trailers that engines such as Ceph RGW 16 refuse
 * with 411), and Content-MD5 on every upload body, which every engine checks, so that a byte
 * changed on the way is refused by the engine itself.
 */
import { createHash } from 'node:crypto';
import { S3Client } from '@aws-sdk/client-s3';
import { errorSaying, failureSaying, operationFailure } from '../errors.js';
import type { Remote } from './remote-queries.js';

/** Commands whose body is stored as an object or part of one. */
const UPLOADS: ReadonlySet<string> = new Set(['PutObjectCommand', 'UploadPartCommand']);

/** A client for this remote, with credentials from the AWS variables or the remote's profile. */
export function s3ClientFor(remote: Remote): S3Client {
  // The SDK warns on stderr about Node versions it will drop in future releases: not this tool's users' concern.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const client = new S3Client({
    ...(remote.endpoint ? { endpoint: remote.endpoint } : {}),
    ...(remote.profile ? { profile: remote.profile } : {}),
    region: remote.region,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { Body?: unknown; ContentMD5?: string };
      if (UPLOADS.has(context.commandName ?? '') && input.Body instanceof Uint8Array && !input.ContentMD5) {
        const request = args.request as { headers: Record<string, string> };
        request.headers['content-md5'] = createHash('md5').update(input.Body).digest('base64');
      }
      return next(args);
    },
    { step: 'build', name: 'custosContentMd5' },
  );
  return client;
}

/** Whether an S3 error says the object (or version) is not there. */
export function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
}

/** Network errors that mean the endpoint could not be reached, or dropped the connection (ECONNRESET). */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
]);

/** What trying again does, for the operations that say so. */
const AGAIN: Readonly<Record<string, string>> = {
  'the push': ': a push goes on where it stopped',
  'the pull': ': a pull takes nothing in until every object checks',
};

/** An S3 failure as a message that says what to do: credentials are bad input (2), the rest exit 3. */
export function describeS3Error(error: unknown, remote: Remote, what: string): Error {
  const e = error as { name?: string; message?: string; code?: string };
  const where = `${remote.name} (s3://${remote.bucket}/${remote.prefix})`;
  if (e?.name === 'CredentialsProviderError')
    return errorSaying('bad-input', (next) => `no credentials for remote ${where}: ${next.s3Credentials}`);
  if (e?.name === 'InvalidAccessKeyId' || e?.name === 'SignatureDoesNotMatch' || e?.name === 'AccessDenied')
    return operationFailure(
      `remote ${where} refused ${what}: ${e.name} (${e.message}); check the credentials and the bucket's policy`,
    );
  if (e?.name === 'NoSuchBucket')
    return operationFailure(`remote ${where}: the bucket ${remote.bucket} does not exist`);
  const reason = e?.code ?? e?.name ?? 'error';
  if (UNREACHABLE.has(reason))
    return failureSaying(
      (next) =>
        `remote ${where}: ${what} failed: ${remote.endpoint ?? 'the S3 endpoint'} ${reason === 'ECONNRESET' ? 'closed the connection' : 'did not answer'} (${reason}). Check the network and the remote's endpoint (${next.remotes} shows it), then ${next.again}${AGAIN[what] ?? ''}`,
      { cause: error },
    );
  return operationFailure(`remote ${where}: ${what} failed (${reason}: ${e?.message ?? String(error)})`, {
    cause: error,
  });
}
