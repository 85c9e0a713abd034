/**
 * Why a timestamp's authority is trusted, said as it is: publicly (it chains to the standard root
 * list, Node's copy of Mozilla's), because the recipient gave its root (`--tsa-roots`), only because
 * the investigator added its root to their store (a signed custody entry the bundle carries), or
 * not at all. Only the first two establish the time for the recipient.
 */
import type { LedgerEntry } from '../../../shared/domain.js';
import type { TimestampTrust } from '../../../shared/verification.js';
import { type NextStep, RUN_AGAIN } from '../errors.js';

/** How far a token's authority is trusted (declared in shared/ with the words that say it). */
export type { TimestampTrust };

/** A root the investigator added, as its custody entry records it. */
export interface InvestigatorRoot {
  /** The sequence number of the `timestamp.root-added` custody entry. */
  readonly seq: number;
  readonly subject: string;
  readonly sha256: string;
  readonly pem: string;
}

/** The trust of one token, with the custody entry that added its root when that is why. */
export interface TrustFinding {
  readonly trust: TimestampTrust;
  /** For `investigator-root`: the custody entry that added the root. */
  readonly root: InvestigatorRoot | null;
}

/** The roots added by `timestamp.root-added` entries among these custody entries. */
export function investigatorRoots(entries: Iterable<LedgerEntry>): InvestigatorRoot[] {
  const roots: InvestigatorRoot[] = [];
  for (const entry of entries) {
    if (entry.action !== 'timestamp.root-added') continue;
    const d = entry.details as Record<string, unknown>;
    if (typeof d.pem !== 'string') continue;
    roots.push({
      seq: entry.seq,
      pem: d.pem,
      subject: typeof d.subject === 'string' ? d.subject : '',
      sha256: typeof d.sha256 === 'string' ? d.sha256 : '',
    });
  }
  return roots;
}

/**
 * verify-token.ts (asn1js, pkijs), loaded when a first token is classified: verify reads
 * investigatorRoots and describeTrust from here for every bundle, and only one with tokens needs
 * them. Kept once loaded: each `import()` of it again cost a resolution, about half a millisecond
 * a token under tsx's hooks.
 */
let verifyTokenModule: Promise<typeof import('../timestamp/verify-token.js')> | undefined;
const tokenVerifier = () => {
  verifyTokenModule ??= import('../timestamp/verify-token.js');
  return verifyTokenModule;
};

/** Whether the token's authority chains to these roots (and, when asked, Node's) at its genTime. */
async function chainsTo(
  der: Uint8Array,
  imprint: string,
  chainPem: string | null,
  roots: readonly string[],
  includeSystemRoots: boolean,
): Promise<boolean> {
  const { verifyToken } = await tokenVerifier();
  const result = await verifyToken(der, imprint, roots, {
    untrustedPem: chainPem ? [chainPem] : [],
    includeSystemRoots,
  });
  return !result.problems.some((p) => p.reason === 'untrusted-authority') && result.genTime !== null;
}

/**
 * Classifies a token whose signature and imprint are sound: public first, then the recipient's
 * roots, then each root the investigator added. A bundle's own chain only helps build the path.
 */
export async function classifyTrust(
  der: Uint8Array,
  imprint: string,
  chainPem: string | null,
  roots: { readonly recipient: readonly string[]; readonly investigator: readonly InvestigatorRoot[] },
): Promise<TrustFinding> {
  if (await chainsTo(der, imprint, chainPem, [], true)) return { trust: 'public', root: null };
  if (roots.recipient.length > 0 && (await chainsTo(der, imprint, chainPem, roots.recipient, false)))
    return { trust: 'recipient-root', root: null };
  for (const root of roots.investigator) {
    if (await chainsTo(der, imprint, chainPem, [root.pem], false))
      return { trust: 'investigator-root', root };
  }
  return { trust: 'untrusted', root: null };
}

/** A sentence for a person: how far the authority is trusted, and what to do about it (in `next`'s words). */
export function describeTrust(finding: TrustFinding, next: NextStep = RUN_AGAIN): string {
  switch (finding.trust) {
    case 'public':
      return 'publicly trusted: the authority chains to the standard root list every verifier has';
    case 'recipient-root':
      return 'trusted: the authority chains to a root certificate you gave (--tsa-roots)';
    case 'investigator-root':
      return `NOT publicly trusted: trusted only because the investigator added its root (${finding.root?.subject}, SHA-256 ${finding.root?.sha256}) in custody entry ${finding.root?.seq}; the time holds for you only if you trust that root (${next.giveTsaRoot})`;
    case 'untrusted':
      return 'UNTRUSTED: the authority chains to no root that is publicly trusted, that you gave, or that the investigator added';
  }
}
