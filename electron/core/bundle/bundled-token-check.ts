/**
 * One bundled timestamp token checked against the recipient's roots. Apart from timestamps.ts
 * (export's side, over the store) so that verify's token threads load only the token checks:
 * before, each thread also loaded better-sqlite3 and zod, which it never used.
 */
import { withoutAdvice } from '../timestamp/trust-advice.js';
import { type TokenVerification, verifyToken } from '../timestamp/verify-token.js';

/** The result of checking one bundled token against the recipient's roots. */
export interface BundledTokenCheck {
  readonly verification: TokenVerification;
  /** Faults that mean the token is false or damaged (a problem: exit 1). */
  readonly faults: readonly string[];
  /**
   * Set when the token is sound but its authority is not among the trusted roots (a warning): what
   * is wrong, without what to do (`untrustedWithAdvice` adds it, in the CLI's words or the window's).
   */
  readonly untrusted: string | null;
}

/**
 * Verifies one bundled token: its imprint must be `expected`, its signature must hold, and its
 * authority must chain to the recipient's roots at genTime. The bundle's own chain only helps build
 * the path (passed as untrusted): a bundle cannot bring its own trust anchor.
 */
export async function checkBundledToken(
  der: Uint8Array,
  expected: string,
  chainPem: string | null,
  trustedRootsPem: readonly string[],
): Promise<BundledTokenCheck> {
  const verification = await verifyToken(der, expected, trustedRootsPem, {
    untrustedPem: chainPem ? [chainPem] : [],
  });
  const faults = verification.problems
    .filter((p) => p.reason !== 'untrusted-authority')
    .map((p) => `${p.reason}: ${p.message}`);
  const untrusted = verification.problems.find((p) => p.reason === 'untrusted-authority');
  return {
    verification,
    faults,
    untrusted: untrusted ? `untrusted-authority: ${withoutAdvice(untrusted.message)}` : null,
  };
}
