import fs from 'node:fs/promises';
import type { BlobStore } from '../store/blob-store.js';
import type { TimestampToken } from './token-queries.js';

/** A granted token's bytes: the DER TimeStampResp exactly as the authority sent it. */
export async function readTokenDer(blobs: BlobStore, token: TimestampToken): Promise<Buffer> {
  if (!token.tokenSha256) throw new Error(`timestamp request ${token.id} (${token.covers}) has no token yet`);
  return fs.readFile(blobs.pathOf(token.tokenSha256));
}

/** A granted token's certificate chain as PEM, signing certificate first, the trusted root last. */
export async function readChainPem(blobs: BlobStore, token: TimestampToken): Promise<string> {
  if (!token.chainSha256) throw new Error(`timestamp request ${token.id} (${token.covers}) has no chain yet`);
  return fs.readFile(blobs.pathOf(token.chainSha256), 'utf8');
}

/**
 * The OpenSSL command that checks a token by hand (for VERIFY.txt). `-attime` makes OpenSSL judge
 * the chain at the token's own time, as RFC 3161 intends: without it, a token whose authority
 * certificate has since expired would fail.
 */
export function opensslVerifyCommand(args: {
  readonly tsrPath: string;
  readonly imprintHex: string;
  readonly caFile: string;
  readonly untrustedFile: string;
  readonly genTime: string;
}): string {
  const epoch = Math.floor(Date.parse(args.genTime) / 1000);
  return `openssl ts -verify -digest ${args.imprintHex} -in ${args.tsrPath} -CAfile ${args.caFile} -untrusted ${args.untrustedFile} -attime ${epoch}`;
}
