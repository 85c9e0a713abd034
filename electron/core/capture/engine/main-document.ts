import { createHash } from 'node:crypto';
import type { Protocol } from 'devtools-protocol';
import type { CdpSession } from './cdp-session.js';
import { headerValue } from './http-headers.js';
import type { Exchange, RecordedResponse } from './network-recorder.js';

/** One step the top frame took before reaching the captured document. */
export interface RedirectHop {
  readonly url: string;
  readonly status: number;
  /** `http`: a 3xx answer; `client`: the document itself moved on (script, meta refresh). */
  readonly kind: 'http' | 'client';
  readonly location: string | null;
}

/** The captured document's response and how the browser got there. */
export interface MainDocument {
  /** The address the browser ended on: the answering URL with the fragment it carried there. */
  readonly finalUrl: string;
  readonly response: RecordedResponse;
  readonly redirectChain: readonly RedirectHop[];
}

/**
 * Finds the top frame's document among the recorded exchanges: the last document request of the
 * top frame that got an answer other than a redirect, within the document now shown. The hops
 * before it are the redirect chain. Navigations the guard blocked are not part of it.
 */
export function findMainDocument(
  exchanges: readonly Exchange[],
  mainFrameId: string,
  committedLoaderId: string | undefined,
  requestedUrl: URL,
): MainDocument | null {
  // Blocked navigations never got a response, so they drop out with the other unanswered hops.
  const hops = exchanges.filter((e) => e.resourceType === 'Document' && e.frameId === mainFrameId);
  const answered = hops.filter((e) => e.response && e.state !== 'redirected');
  const final =
    answered.findLast((e) => e.loaderId === committedLoaderId) ??
    answered.findLast((e) => e.state === 'finished') ??
    answered.at(-1);
  if (!final?.response) return null;
  const chain: RedirectHop[] = [];
  for (const hop of hops.slice(0, hops.indexOf(final))) {
    if (!hop.response) continue;
    const http = hop.state === 'redirected';
    chain.push({
      url: hop.url,
      status: hop.response.status,
      kind: http ? 'http' : 'client',
      location: http ? (headerValue(hop.response.headers, 'location') ?? null) : null,
    });
  }
  return {
    finalUrl: withCarriedFragment(final.url, requestedUrl, chain),
    response: final.response,
    redirectChain: chain,
  };
}

/**
 * The answering URL with the fragment (`#…`) the browser carried to it: a fragment is never sent
 * to the server, so the network's URLs lack it, but the browser keeps the requested one through
 * HTTP redirects unless a `Location` names its own (the Fetch standard's rule). A page's own move
 * elsewhere (a script, a meta refresh) starts a new address, whose fragment the network does not show.
 */
export function withCarriedFragment(
  answerUrl: string,
  requestedUrl: URL,
  chain: readonly RedirectHop[],
): string {
  let fragment = requestedUrl.hash;
  for (const hop of chain) {
    if (hop.kind === 'client') {
      fragment = '';
      continue;
    }
    try {
      const hash = hop.location ? new URL(hop.location, hop.url).hash : '';
      if (hash) fragment = hash;
    } catch {
      // A Location the browser could not follow either: the fragment stays as it was.
    }
  }
  if (!fragment) return answerUrl;
  try {
    const url = new URL(answerUrl);
    url.hash = fragment;
    return url.href;
  } catch {
    return answerUrl;
  }
}

/** The TLS connection of an https document, as a court would want it described. */
export interface TlsInfo {
  readonly protocol: string;
  readonly cipher: string;
  readonly keyExchange: string;
  readonly keyExchangeGroup: string | null;
  readonly certificate: {
    readonly subject: string;
    readonly issuer: string;
    readonly validFrom: string;
    readonly validTo: string;
    readonly subjectAlternativeNames: readonly string[];
    /** SHA-256 of the certificate's DER encoding, colon-separated hex as browsers show it. */
    readonly sha256Fingerprint: string | null;
    /** The same for the rest of the chain the server sent, leaf first. */
    readonly chainSha256Fingerprints: readonly string[];
  };
  readonly certificateTransparency: string;
}

/** Describes the TLS connection, reading the certificate chain from the browser (while the page is open). */
export async function describeTls(
  session: CdpSession,
  url: string,
  details: Protocol.Network.SecurityDetails,
): Promise<TlsInfo> {
  let chain: string[] = [];
  try {
    const { tableNames } = await session.send('Network.getCertificate', { origin: new URL(url).origin });
    chain = tableNames.map((der) => fingerprint(Buffer.from(der, 'base64')));
  } catch {
    // Older browsers lack Network.getCertificate; the rest of the description stands.
  }
  return {
    protocol: details.protocol,
    cipher: details.cipher + (details.mac ? ` (${details.mac})` : ''),
    keyExchange: details.keyExchange,
    keyExchangeGroup: details.keyExchangeGroup ?? null,
    certificate: {
      subject: details.subjectName,
      issuer: details.issuer,
      validFrom: new Date(details.validFrom * 1000).toISOString(),
      validTo: new Date(details.validTo * 1000).toISOString(),
      subjectAlternativeNames: details.sanList,
      sha256Fingerprint: chain[0] ?? null,
      chainSha256Fingerprints: chain.slice(1),
    },
    certificateTransparency: details.certificateTransparencyCompliance,
  };
}

function fingerprint(der: Buffer): string {
  return createHash('sha256')
    .update(der)
    .digest('hex')
    .toUpperCase()
    .replace(/(..)(?!$)/g, '$1:');
}
