import { X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import type * as pkijs from 'pkijs';
import { certificateDer, parseCertificate, pemCertificatesToDer } from './certificates.js';

let systemRoots: readonly X509Certificate[] | undefined;

/** Node's root list (Mozilla's, the one browsers trust), read once per process by the native parser. */
function systemRootList(): readonly X509Certificate[] {
  systemRoots ??= tls.rootCertificates.map((pem) => new X509Certificate(pem));
  return systemRoots;
}

/**
 * Trust anchors for verifying a token: the user-added roots (`extraPem`), plus those of Node's roots
 * (unless `includeSystemRoots` is false) that issued one of the token's certificates. The
 * pre-selection only spares parsing ~150 roots in JavaScript for each token (over a second); the
 * trust decision itself is pkijs's chain validation over the anchors returned.
 */
export function trustAnchors(
  extraPem: readonly string[],
  tokenCertificates: readonly pkijs.Certificate[],
  options: { readonly includeSystemRoots?: boolean } = {},
): pkijs.Certificate[] {
  const anchors = extraPem.flatMap((pem) => pemCertificatesToDer(pem)).flatMap(tryParse);
  if (options.includeSystemRoots === false) return anchors;
  const issued = tokenCertificates.flatMap((certificate) => {
    try {
      return [new X509Certificate(certificateDer(certificate))];
    } catch {
      return [];
    }
  });
  for (const root of systemRootList()) {
    if (issued.some((certificate) => certificate.checkIssued(root))) anchors.push(...tryParse(root.raw));
  }
  return anchors;
}

function tryParse(der: Uint8Array): pkijs.Certificate[] {
  try {
    return [parseCertificate(der)];
  } catch {
    return [];
  }
}
