import { createHash } from 'node:crypto';
import * as pkijs from 'pkijs';

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+?)-----END CERTIFICATE-----/g;

/** Short names of the attribute types a person expects in a distinguished name. */
const NAME_ATTRIBUTES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.97': 'organizationIdentifier',
};

/** The DER bytes of every certificate in a PEM text (in order); empty when there is none. */
export function pemCertificatesToDer(pem: string): Buffer[] {
  return Array.from(pem.matchAll(PEM_BLOCK), (match) =>
    Buffer.from((match[1] ?? '').replace(/\s+/g, ''), 'base64'),
  );
}

/** A certificate's DER bytes as PEM text. */
export function derToPem(der: Uint8Array): string {
  const base64 = Buffer.from(der).toString('base64');
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/** Parses DER bytes as an X.509 certificate; throws when they are not one. */
export function parseCertificate(der: Uint8Array): pkijs.Certificate {
  return pkijs.Certificate.fromBER(der);
}

/** Encodings already made: pkijs re-encodes a whole certificate for each call, which cost most of a token check. */
const encodings = new WeakMap<pkijs.Certificate, Buffer>();

/** The DER encoding of a parsed certificate (pkijs keeps the signed part's original bytes). */
export function certificateDer(certificate: pkijs.Certificate): Buffer {
  let der = encodings.get(certificate);
  if (!der) {
    der = Buffer.from(certificate.toSchema().toBER());
    encodings.set(certificate, der);
  }
  return der;
}

/** Certificates parsed by `sharedCertificate`, by their DER (hex). */
const shared = new Map<string, pkijs.Certificate>();
const SHARED_KEPT = 512;

/**
 * Parses DER bytes as a certificate once per process and hands out the same object for the same
 * bytes, so that what is computed about it (its encoding, its chain) is computed once. Callers
 * must not change it. Throws when the bytes are not a certificate.
 */
export function sharedCertificate(der: Uint8Array): pkijs.Certificate {
  const key = Buffer.from(der).toString('hex');
  let certificate = shared.get(key);
  if (!certificate) {
    certificate = parseCertificate(der);
    if (shared.size >= SHARED_KEPT) shared.clear();
    shared.set(key, certificate);
  }
  return certificate;
}

/** A certificate's SHA-256 fingerprint (hex), as `openssl x509 -fingerprint -sha256` shows it without colons. */
export function certificateFingerprint(certificate: pkijs.Certificate): string {
  return createHash('sha256').update(certificateDer(certificate)).digest('hex');
}

/** A certificate's subject as a person reads it: `CN=…, O=…, C=…`. */
export function subjectName(certificate: pkijs.Certificate): string {
  return certificate.subject.typesAndValues
    .map((pair) => `${NAME_ATTRIBUTES[pair.type] ?? pair.type}=${String(pair.value.valueBlock.value)}`)
    .join(', ');
}

/** True when the certificate names itself as its issuer (a root). */
export function isSelfIssued(certificate: pkijs.Certificate): boolean {
  return certificate.subject.isEqual(certificate.issuer);
}
