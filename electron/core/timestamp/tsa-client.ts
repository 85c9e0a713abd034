import { buildTimestampRequest } from './timestamp-request.js';
import { type TokenProblemReason, type TokenVerification, verifyToken } from './verify-token.js';

/** Why an authority gave no usable token: it could not be reached, or its reply was refused. */
export type RequestFailureReason =
  | 'unreachable'
  | 'timeout'
  | 'http-error'
  | 'too-large'
  | TokenProblemReason;

/** The outcome of asking one authority for one token. */
export type TimestampReply =
  | { readonly ok: true; readonly der: Buffer; readonly verification: TokenVerification }
  | { readonly ok: false; readonly reason: RequestFailureReason; readonly message: string };

/** How to ask an authority. */
export interface RequestOptions {
  /** Trusted root PEMs besides Node's (the store's user-added roots). */
  readonly trustedRootsPem: readonly string[];
  /** Give up on an authority after this long (default 15 s). */
  readonly timeoutMs?: number;
  /** Trust Node's root list too (default true). */
  readonly includeSystemRoots?: boolean;
}

/** Default bound on one request: public authorities answer in well under a second. */
export const DEFAULT_TIMEOUT_MS = 15_000;
/** A TimeStampResp is a few kilobytes; anything far larger is not one. */
const MAX_REPLY_BYTES = 1024 * 1024;

/**
 * Asks one RFC 3161 authority (HTTP POST, `application/timestamp-query`) to stamp a SHA-256
 * imprint, and accepts the reply only if `verifyToken` finds nothing wrong with it, its nonce
 * included. Never throws: every failure comes back with a reason and a sentence.
 */
export async function requestTimestamp(
  url: string,
  imprintHex: string,
  options: RequestOptions,
): Promise<TimestampReply> {
  const request = buildTimestampRequest(imprintHex);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let response: Response;
  let body: Buffer;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/timestamp-query', accept: 'application/timestamp-reply' },
      body: request.der,
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (response.status !== 200) {
      await response.body?.cancel();
      return {
        ok: false,
        reason: 'http-error',
        message: `${url} answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`,
      };
    }
    const read = await readLimited(response, MAX_REPLY_BYTES);
    if (!read)
      return { ok: false, reason: 'too-large', message: `${url} sent a reply over ${MAX_REPLY_BYTES} bytes` };
    body = read;
  } catch (error) {
    return describeNetworkError(url, error, timeoutMs);
  }
  const verification = await verifyToken(body, imprintHex, options.trustedRootsPem, {
    expectedNonce: request.nonce,
    includeSystemRoots: options.includeSystemRoots,
  });
  const problem = verification.problems[0];
  if (problem) {
    const more = verification.problems.length > 1 ? ` (and ${verification.problems.length - 1} more)` : '';
    return { ok: false, reason: problem.reason, message: `${url}: ${problem.message}${more}` };
  }
  return { ok: true, der: body, verification };
}

async function readLimited(response: Response, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  if (!response.body) return Buffer.alloc(0);
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > limit) {
      await response.body.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

function describeNetworkError(url: string, error: unknown, timeoutMs: number): TimestampReply {
  if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return {
      ok: false,
      reason: 'timeout',
      message: `${url} did not answer within ${Math.round(timeoutMs / 1000)} s`,
    };
  }
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  const detail = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
  return { ok: false, reason: 'unreachable', message: `${url} could not be reached (${detail})` };
}
