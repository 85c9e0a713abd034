import { X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import type * as pkijs from 'pkijs';
import { certificateDer, pemCertificatesToDer, sharedCertificate } from './certificates.js';

let systemRoots: readonly X509Certificate[] | undefined;

/** Node's root list (Mozilla's, the one browsers trust), read once per process by the native parser. */
function systemRootList(): readonly X509Certificate[] {
  systemRoots ??= tls.rootCertificates.map((pem) => new X509Certificate(pem));
  return systemRoots;
}

/** The system roots that issued a certificate, by that certificate's DER (hex). */
const issuers = new Map<string, readonly X509Certificate[]>();
const KEPT = 512;

function remember<T>(map: Map<string, T>, key: string, make: () => T): T {
  let value = map.get(key);
  if (value === undefined) {
    if (map.size >= KEPT) map.clear();
    value = make();
    map.set(key, value);
  }
  return value;
}

function parsedOnce(der: Uint8Array): pkijs.Certificate[] {
  try {
    return [sharedCertificate(der)];
  } catch {
    return [];
  }
}

/**
 * Trust anchors for verifying a token: the user-added roots (`extraPem`), plus those of Node's roots
 * (unless `includeSystemRoots` is false) that issued one of the token's certificates. The
 * pre-selection only spares parsing ~150 roots in JavaScript for each token (over a second); the
 * trust decision itself is pkijs's chain validation over the anchors returned. Parsed roots and
 * the pre-selection are remembered: a bundle's tokens come from a few authorities.
 */
export function trustAnchors(
  extraPem: readonly string[],
  tokenCertificates: readonly pkijs.Certificate[],
  options: { readonly includeSystemRoots?: boolean } = {},
): pkijs.Certificate[] {
  const anchors = extraPem.flatMap((pem) => pemCertificatesToDer(pem)).flatMap(parsedOnce);
  if (options.includeSystemRoots === false) return anchors;
  const selected = new Set<X509Certificate>();
  for (const certificate of tokenCertificates) {
    const der = certificateDer(certificate);
    const roots = remember(issuers, der.toString('hex'), () => {
      try {
        const x509 = new X509Certificate(der);
        return systemRootList().filter((root) => x509.checkIssued(root));
      } catch {
        return [];
      }
    });
    for (const root of roots) selected.add(root);
  }
  for (const root of systemRootList()) if (selected.has(root)) anchors.push(...parsedOnce(root.raw));
  return anchors;
}
