/**
 * Asks the store's time-stamping authorities, in order, for an RFC 3161 token over a WACZ's
 * datapackage.json digest. Never fails an export: no authority, or none that answers, gives null
 * with the reason, and the WACZ is written signed but without trusted time.
 */
import type { ReadableDB } from '../store/database.js';
import { configuredAuthorities, userTrustedRoots } from '../timestamp/timestamp-settings.js';
import { requestTimestamp } from '../timestamp/tsa-client.js';
import type { DigestStamp } from './wacz-writer.js';

/** What became of the digest's stamp: granted, or why not. */
export type DigestStampOutcome =
  | { readonly status: 'granted'; readonly stamp: DigestStamp }
  | { readonly status: 'not-configured' | 'failed'; readonly reason: string };

/** Requests a token for `sha256Hex` from each configured authority until one grants it. */
export async function stampDigest(
  db: ReadableDB,
  sha256Hex: string,
  options: { readonly authorities?: readonly string[]; readonly timeoutMs?: number } = {},
): Promise<DigestStampOutcome> {
  const authorities = options.authorities ?? configuredAuthorities(db);
  if (authorities.length === 0)
    return { status: 'not-configured', reason: 'no time-stamping authority is configured' };
  const trustedRootsPem = userTrustedRoots(db);
  const failures: string[] = [];
  for (const url of authorities) {
    const reply = await requestTimestamp(url, sha256Hex, { trustedRootsPem, timeoutMs: options.timeoutMs });
    if (!reply.ok) {
      failures.push(reply.message);
      continue;
    }
    const { verification } = reply;
    return {
      status: 'granted',
      stamp: {
        der: reply.der,
        chainPem: verification.chain.join(''),
        tsa: url,
        genTime: verification.genTime ?? '',
      },
    };
  }
  return { status: 'failed', reason: failures.join('; ') };
}
