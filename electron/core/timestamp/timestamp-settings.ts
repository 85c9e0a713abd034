/**
 * Per-store timestamp configuration, kept in the `settings` table: the authorities to ask, in
 * order, and the root certificates the user trusts besides Node's. Each change is a custody entry,
 * since it decides which times a court will be shown.
 */
import { badInput } from '../errors.js';
import type { ReadableDB } from '../store/database.js';
import type { EvidenceStore } from '../store/evidence-store.js';
import { putSetting } from '../store/queries.js';
import {
  certificateFingerprint,
  derToPem,
  parseCertificate,
  pemCertificatesToDer,
  subjectName,
} from './certificates.js';
import { AUTHORITIES_KEY, ROOTS_KEY, userTrustedRoots } from './configured-authorities.js';

export { configuredAuthorities, userTrustedRoots } from './configured-authorities.js';

/**
 * Checks authority URLs given by a person: absolute http(s) URLs (a token is signed, so plain HTTP
 * is as safe as HTTPS). Returns them normalised; refuses the whole list on the first bad one.
 */
export function parseAuthorityUrls(urls: readonly string[]): string[] {
  return urls.map((text) => {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw badInput(
        `${text} is not a URL; give a time-stamping authority as http://host/path or https://host/path`,
      );
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw badInput(`${text}: a time-stamping authority is reached over http or https, not ${url.protocol}`);
    }
    return url.href;
  });
}

/** Replaces the store's list of authorities (an empty list turns automatic stamping off). */
export function setAuthorities(store: EvidenceStore, urls: readonly string[]): string[] {
  const parsed = parseAuthorityUrls(urls);
  store.transaction((db) => {
    putSetting(db, AUTHORITIES_KEY, JSON.stringify(parsed));
    store.appendInTransaction(db, {
      action: 'timestamp.authorities',
      caseId: null,
      subject: 'settings',
      details: { authorities: parsed },
    });
  });
  return parsed;
}

/** A root certificate the store trusts for timestamps. */
export interface TrustedRoot {
  readonly subject: string;
  readonly sha256: string;
}

/**
 * Adds the certificates of a PEM text to the store's trusted roots (those already there are
 * skipped). Refuses text with no certificate in it, or a certificate that does not parse.
 */
export function addTrustedRoots(store: EvidenceStore, pemText: string, source: string): TrustedRoot[] {
  const ders = pemCertificatesToDer(pemText);
  if (ders.length === 0) throw badInput(`${source} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  const roots = ders.map((der, index) => {
    try {
      const certificate = parseCertificate(der);
      return {
        pem: derToPem(der),
        subject: subjectName(certificate),
        sha256: certificateFingerprint(certificate),
      };
    } catch {
      throw badInput(
        `certificate ${index + 1} in ${source} is not a valid X.509 certificate; nothing was added`,
      );
    }
  });
  const existing = new Set(listTrustedRoots(store.db).map((root) => root.sha256));
  const added = roots.filter((root) => !existing.has(root.sha256));
  if (added.length === 0) return [];
  store.transaction((db) => {
    putSetting(db, ROOTS_KEY, JSON.stringify([...userTrustedRoots(db), ...added.map((root) => root.pem)]));
    for (const root of added) {
      store.appendInTransaction(db, {
        action: 'timestamp.root-added',
        caseId: null,
        subject: 'settings',
        details: { subject: root.subject, sha256: root.sha256, pem: root.pem },
      });
    }
  });
  return added.map(({ subject, sha256 }) => ({ subject, sha256 }));
}

/** The user-added roots with their subjects and SHA-256 fingerprints. */
export function listTrustedRoots(db: ReadableDB): TrustedRoot[] {
  return userTrustedRoots(db).flatMap((pem) =>
    pemCertificatesToDer(pem).map((der) => {
      const certificate = parseCertificate(der);
      return { subject: subjectName(certificate), sha256: certificateFingerprint(certificate) };
    }),
  );
}
