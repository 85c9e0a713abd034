import { opensslVerifyCommand } from '../timestamp/token-files.js';
import { BUNDLE_FILES, LEDGER_HEAD_COVER, type TimestampIndexEntry } from './format.js';

/** The placeholder VERIFY.txt uses for the root certificate of the authority the recipient trusts. */
export const TSA_ROOT_PLACEHOLDER = 'TSA-ROOT.pem';

/** One step a recipient runs with standard tools. */
export interface VerifyStep {
  readonly title: string;
  readonly commands: readonly string[];
  readonly expect: string;
}

/** The checks a recipient can run with coreutils and OpenSSL alone, in order. */
export function verifySteps(bundleName: string, signerFingerprint: string): VerifyStep[] {
  return [
    {
      title: 'Unpack the bundle into an empty folder',
      commands: [`mkdir bundle && cd bundle && unzip ../${bundleName}`],
      expect: 'unzip lists every file and reports no error.',
    },
    {
      title: 'Check every file against its checksum',
      commands: [`sha256sum -c ${BUNDLE_FILES.checksums}`],
      expect: 'every line ends in OK.',
    },
    {
      title: "Check the exporter's signature on the manifest",
      commands: [
        `openssl pkeyutl -verify -pubin -inkey ${BUNDLE_FILES.signerKey} -rawin -in ${BUNDLE_FILES.manifest} -sigfile ${BUNDLE_FILES.signature}`,
      ],
      expect: '"Signature Verified Successfully".',
    },
    {
      title:
        "Check that the signing key is the exporter's (compare with the fingerprint given to you by another channel)",
      commands: [`openssl pkey -pubin -in ${BUNDLE_FILES.signerKey} -outform DER | sha256sum`],
      expect: `${signerFingerprint}`,
    },
    {
      title: 'Check the files against the signed manifest itself (needs jq)',
      commands: [
        `jq -r '(.items[].artifacts[], .files[]) | "\\(.sha256)  \\(.path)"' ${BUNDLE_FILES.manifest} | sha256sum -c`,
      ],
      expect: 'every line ends in OK: the checksums above are the ones the exporter signed.',
    },
    {
      title: 'Check everything at once, including the custody chain and each item digest (with Custos)',
      commands: [`custos verify ${bundleName} --expect-signer ${signerFingerprint}`],
      expect: '"Valid" and exit status 0.',
    },
  ];
}

/** The `openssl ts -verify` command of each token, with what it covers. */
export function timestampCommands(
  index: readonly TimestampIndexEntry[],
): { covers: string; command: string }[] {
  return index.map((entry) => ({
    covers:
      entry.covers === LEDGER_HEAD_COVER
        ? `the custody ledger head (entry ${entry.ledgerSeq ?? '?'} of ${BUNDLE_FILES.custody})`
        : `item ${entry.covers}`,
    command: opensslVerifyCommand({
      tsrPath: entry.file,
      imprintHex: entry.sha256,
      caFile: TSA_ROOT_PLACEHOLDER,
      untrustedFile: entry.chain ?? entry.file.replace(/\.tsr$/, '.chain.pem'),
      genTime: entry.time,
    }),
  }));
}

/** The timestamps section of VERIFY.txt (empty when the bundle carries no token). */
function timestampSection(bundleName: string, index: readonly TimestampIndexEntry[]): string {
  if (index.length === 0) return '';
  const commands = timestampCommands(index)
    .map((c) => `   ${c.covers}:\n     ${c.command}`)
    .join('\n\n');
  return `
TRUSTED TIMESTAMPS (RFC 3161)
=============================

Each file timestamps/<name>.tsr is a time-stamping authority's reply exactly as received, over the
SHA-256 imprint given after -digest: an item's digest, or the hash of a custody entry (the ledger
head). timestamps/index.json says what each one covers. The authority's certificate chain is in
timestamps/<name>.chain.pem; it only helps OpenSSL build the path and is NOT a trust anchor.

Replace ${TSA_ROOT_PLACEHOLDER} with the root certificate of the authority that YOU trust, obtained
from the authority or your own trust list, never from this bundle (a bundle could carry a root made
by anyone). -attime judges the certificates at the token's own time, so a token stays valid after
the authority's certificate expires. Expected for each: "Verification: OK".

${commands}

Custos does the same with: custos verify ${bundleName} --tsa-roots ${TSA_ROOT_PLACEHOLDER}
`;
}

/** The text of VERIFY.txt. */
export function verifyText(
  bundleName: string,
  signerFingerprint: string,
  timestamps: readonly TimestampIndexEntry[] = [],
): string {
  const steps = verifySteps(bundleName, signerFingerprint)
    .map(
      (step, i) =>
        `${i + 1}. ${step.title}:\n\n${step.commands.map((c) => `     ${c}`).join('\n')}\n\n   Expected: ${step.expect}\n`,
    )
    .join('\n');
  return `HOW TO VERIFY THIS EVIDENCE BUNDLE
==================================

This bundle was made by Custos (bundle format 1). Everything in it can be checked with coreutils
and OpenSSL 3, without trusting Custos. The exporter's key fingerprint (SHA-256 of the public
key's DER encoding) is:

   ${signerFingerprint}

${steps}
What each file is:

   ${BUNDLE_FILES.manifest}     case, exporter, time, tool, every item with its digest and artifacts
   ${BUNDLE_FILES.signature}     Ed25519 signature of ${BUNDLE_FILES.manifest}'s exact bytes (64 raw bytes)
   ${BUNDLE_FILES.signerKey}       the exporter's public key (SPKI PEM)
   ${BUNDLE_FILES.checksums}       SHA-256 of every file except itself and ${BUNDLE_FILES.signature}
   ${BUNDLE_FILES.custody}    the custody ledger entries, hash-chained and signed, one per line
   timestamps/      trusted timestamps (RFC 3161) with index.json, when any were obtained
   items/<id>/      the artifacts of each item, byte for byte as preserved
   ${BUNDLE_FILES.reportHtml}, ${BUNDLE_FILES.reportPdf}   the human-readable report

An item's digest is the SHA-256 of the RFC 8785 canonical JSON of its capture record ("record"
in ${BUNDLE_FILES.manifest}); the custody entry that created the item signs that digest.
The format is described in full in VERIFYING.md of the Custos sources.
${timestampSection(bundleName, timestamps)}`;
}
