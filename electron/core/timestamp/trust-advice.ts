/**
 * What a person can do about a time-stamping authority whose certificate chains to no root they
 * trust, in the CLI's words or the window's (`NextStep`). Apart from verify-token.ts, which loads
 * pkijs, so that a report can word its warnings without loading the token checks.
 */
import type { NextStep } from '../errors.js';

const IF_YOU_TRUST = '; if you trust this authority, ';

/** `untrusted` (what is wrong) and how the recipient of a bundle trusts the authority's root in a verification. */
export function untrustedWithAdvice(untrusted: string, next: NextStep): string {
  return `${untrusted}${IF_YOU_TRUST}${next.trustTsaRoot}`;
}

/** `untrusted` (what is wrong) and how the authority's root is added to the store (a stamp asked and refused). */
export function untrustedForStore(untrusted: string, next: NextStep): string {
  return `${untrusted}${IF_YOU_TRUST}${next.addTsaRoot}`;
}

/** What is wrong, without the advice one of the above added. */
export function withoutAdvice(message: string): string {
  const at = message.indexOf(IF_YOU_TRUST);
  return at === -1 ? message : message.slice(0, at);
}

/** `text` (a stored reason, in the CLI's words) with the advice on adding a root in `next`'s words. */
export function storeRootAdviceIn(text: string, next: NextStep, from: NextStep): string {
  return text.replaceAll(`${IF_YOU_TRUST}${from.addTsaRoot}`, `${IF_YOU_TRUST}${next.addTsaRoot}`);
}
