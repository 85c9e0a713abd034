/**
 * The evidence hash: the one number that ties a printed report to its bundle. The report is inside
 * the bundle, so it cannot carry the ZIP's hash (nor the manifest's or SHA256SUMS's, which list the
 * report); it carries instead the SHA-256 of the SHA256SUMS lines of every evidence file: the
 * artifacts, custody.jsonl and custody-bodies.jsonl, timestamps/ and watch.json. Everything made
 * from the evidence afterwards (reports, guide, manifest, signatures, key) is left out, so a
 * recipient recomputes it from SHA256SUMS with coreutils: EVIDENCE_HASH_COMMAND.
 */
import { createHash } from 'node:crypto';
import { type ChecksumLine, formatChecksums } from './checksums.js';
import { BUNDLE_FILES } from './format.js';

/** The files that are not evidence: made from it after it is hashed, or describing it. */
const NOT_EVIDENCE: readonly string[] = [
  BUNDLE_FILES.manifest,
  BUNDLE_FILES.signature,
  BUNDLE_FILES.signerKey,
  BUNDLE_FILES.checksums,
  BUNDLE_FILES.checksumsSignature,
  BUNDLE_FILES.reportHtml,
  BUNDLE_FILES.reportPdf,
  BUNDLE_FILES.verifyText,
];

/** Whether a bundle path is evidence (counted in the evidence hash). */
export function isEvidenceFile(path: string): boolean {
  return !NOT_EVIDENCE.includes(path);
}

/** The evidence hash of a bundle's files: SHA-256 of their SHA256SUMS lines (sorted by path). */
export function evidenceHash(files: Iterable<ChecksumLine>): string {
  const evidence = [...files].filter((file) => isEvidenceFile(file.path));
  return createHash('sha256').update(formatChecksums(evidence), 'utf8').digest('hex');
}

/** The command that recomputes the evidence hash from SHA256SUMS, run in the unzipped bundle's folder. */
export const EVIDENCE_HASH_COMMAND = `grep -vE '  (${NOT_EVIDENCE.map((name) => name.replace(/\./g, '\\.')).join('|')})$' ${BUNDLE_FILES.checksums} | sha256sum`;

/** The name the report and `custos verify` give the evidence hash, with what it is the hash of. */
export const EVIDENCE_HASH_NAME = 'Evidence SHA-256';
