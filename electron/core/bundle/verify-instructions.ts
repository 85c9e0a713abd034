import { BUNDLE_FILES } from './format.js';

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

/** The text of VERIFY.txt. */
export function verifyText(bundleName: string, signerFingerprint: string): string {
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
`;
}
