/**
 * One bundled timestamp token checked whole: its imprint, signature and chain against the
 * recipient's roots (`checkBundledToken`) and, when it has no fault, how far its authority is
 * trusted (`classifyTrust`). Pure data in and out, so that it runs the same on a worker thread.
 */

import { type BundledTokenCheck, checkBundledToken } from './bundled-token-check.js';
import { classifyTrust, type InvestigatorRoot, type TrustFinding } from './timestamp-trust.js';

/** The roots every token of one bundle is checked against. */
export interface TokenRoots {
  /** Root certificates (PEM) the recipient gave (`--tsa-roots`). */
  readonly recipient: readonly string[];
  /** Roots the investigator added, as the bundle's custody entries record them. */
  readonly investigator: readonly InvestigatorRoot[];
}

/** One token to check: its DER bytes, the imprint it must carry, and the chain the bundle gives with it. */
export interface TokenCheckJob {
  readonly der: Uint8Array;
  readonly expected: string;
  readonly chainPem: string | null;
}

/** What checking one token found; `finding` is null when the token itself has a fault. */
export interface TokenCheckOutcome {
  readonly check: BundledTokenCheck;
  readonly finding: TrustFinding | null;
}

/** Checks one token against the roots (never throws on a bad token: faults are its result). */
export async function checkOneToken(job: TokenCheckJob, roots: TokenRoots): Promise<TokenCheckOutcome> {
  const check = await checkBundledToken(job.der, job.expected, job.chainPem, roots.recipient);
  const finding =
    check.faults.length === 0 ? await classifyTrust(job.der, job.expected, job.chainPem, roots) : null;
  return { check, finding };
}
