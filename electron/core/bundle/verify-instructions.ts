/**
 * VERIFY.txt (format 2): the recipe that proves, with bash, coreutils, OpenSSL 3 and jq alone, what
 * the bundle claims. Contract: every command is on its own line starting with `$ `, runs in bash
 * from the unzipped bundle's folder, and the sequence exits non-zero on any tampering (a changed,
 * missing or extra file, an edited custody line, a bundle re-signed by another key than the one
 * the recipient was told to expect). The expected key comes from the recipient, never from the
 * bundle: the first check reads it from `EXPECTED_SIGNER`.
 */
import { groupedFingerprint } from '../../../shared/fingerprint-text.js';
import { opensslVerifyCommand } from '../timestamp/token-files.js';
import { EVIDENCE_HASH_COMMAND } from './evidence-hash.js';
import { BUNDLE_FILES, LEDGER_HEAD_COVER, type TimestampIndexEntry } from './format.js';

/** The variable VERIFY.txt reads the root certificate of a time-stamping authority from. */
export const TSA_ROOT_VARIABLE = 'TSA_ROOT';
/** The variable VERIFY.txt reads the expected signer's fingerprint from. */
export const EXPECTED_SIGNER_VARIABLE = 'EXPECTED_SIGNER';
/**
 * The shell variable the recipe's checks set to 1 when one fails, so that its last line fails too:
 * run as a plain `bash verify.sh` (no `-e`), a script's status is its last command's, and the
 * checks after a failure (step 9 skipped, a timestamp not checked) would end it with 0.
 */
const FAILED_VARIABLE = 'verify_failed';
/** Marks the recipe failed and fails the line (so that `bash -e` stops on it too). */
const MARK_FAILED = `${FAILED_VARIABLE}=1; false`;

/** One step a recipient runs with standard tools. */
export interface VerifyStep {
  readonly title: string;
  /** Bash commands, each one line, run from the unzipped bundle's folder. */
  readonly commands: readonly string[];
  readonly expect: string;
}

const { checksums, checksumsSignature, signerKey, manifest, signature, custody, custodyBodies, itemRecords } =
  BUNDLE_FILES;

/**
 * One line that runs `test` and says what it found: "ok" on success, else "FAILED" on stderr and a
 * non-zero status. Written as `if`, not `test && echo`, so that `bash -e` stops on it (bash ignores
 * a failure on the left of `&&`).
 */
function checkLine(test: string, ok: string, failed: string): string {
  return `if ${test}; then echo "ok: ${ok}"; else echo "FAILED: ${failed}" >&2; ${MARK_FAILED}; fi`;
}

/** The recipe's first line: no check has failed yet (a run before in the same shell forgotten). */
const START_LINE = `${FAILED_VARIABLE}=0`;

/**
 * The recipe's last line: it fails when any check before it failed, so that the sequence exits
 * non-zero on any tampering however it is run (`bash -e`, plain `bash`, or pasted line by line).
 * Run in a shell of its own (a checker that runs each line apart and checks each status), it
 * finds the variable unset and passes: there each failing check has already failed by itself.
 */
const SUMMARY_LINE = checkLine(
  `[ "\${${FAILED_VARIABLE}:-0}" = 0 ]`,
  'every check above passed',
  'a check above failed (see the FAILED lines): this bundle is not as it was signed',
);

/** The SHA-256 fingerprint of a PEM public key's DER encoding, as a shell expression on `$1`. */
const FINGERPRINT_OF = (file: string) =>
  `openssl pkey -pubin -in ${file} -outform DER | sha256sum | cut -c1-64`;

/** Checks that each custody line's hash is the SHA-256 of its body's exact bytes. */
const CUSTODY_HASH_TEST = `paste -d ' ' <(jq -r 'if .omitted then "omitted" else .hash end' ${custody}) <(while IFS= read -r body; do printf '%s' "$body" | sha256sum | cut -c1-64; done < ${custodyBodies}) | (n=0; while read -r want got; do n=$((n+1)); [ "$want" = omitted ] || [ "$want" = "$got" ] || { echo "${custody} line $n: its body hashes to $got, the line says $want" >&2; exit 1; }; done)`;

/** Checks each full custody entry's Ed25519 signature over its body with the key it names (signer.pem or one the manifest carries). */
const CUSTODY_SIGNATURE_TEST = `( k=$(mktemp -d) && trap 'rm -rf "$k"' EXIT && cp ${signerKey} "$k/$(${FINGERPRINT_OF(signerKey)}).pem" && jq -r '.keys[] | .publicKeyPem | @base64' ${manifest} | while read -r b; do printf '%s' "$b" | openssl base64 -d -A > "$k/key"; mv "$k/key" "$k/$(${FINGERPRINT_OF('"$k/key"')}).pem"; done && paste <(jq -r 'if .omitted then "-\\t-" else "\\(.actor.keyFingerprint)\\t\\(.signature)" end' ${custody}) ${custodyBodies} | (n=0; while IFS=$'\\t' read -r f s body; do n=$((n+1)); [ "$f" = - ] && continue; printf '%s' "$s" | openssl base64 -d -A > "$k/sig"; printf '%s' "$body" > "$k/body"; openssl pkeyutl -verify -pubin -inkey "$k/$f.pem" -rawin -in "$k/body" -sigfile "$k/sig" > /dev/null 2>&1 || { echo "${custody} line $n: its signature does not verify with key $f" >&2; exit 1; }; done) )`;

/**
 * The signer check. Without EXPECTED_SIGNER it fails and marks the recipe failed, as any check
 * does: `${VAR:?}` would stop a script but not a shell the lines are pasted into, where the
 * summary line would then say that every check passed with the signer never compared.
 */
const SIGNER_LINE = `if [ -z "\${${EXPECTED_SIGNER_VARIABLE}:-}" ]; then echo "FAILED: set ${EXPECTED_SIGNER_VARIABLE} to the fingerprint you were given by another channel (the signer was not checked)" >&2; ${MARK_FAILED}; elif [ "$(${FINGERPRINT_OF(signerKey)})" = "$${EXPECTED_SIGNER_VARIABLE}" ]; then echo "ok: ${signerKey} is the expected key"; else echo "FAILED: ${signerKey} is not the key you expect: someone else signed this bundle" >&2; ${MARK_FAILED}; fi`;

/** The checks a recipient runs, in order. */
export function verifySteps(bundleName: string): VerifyStep[] {
  return [
    {
      title: `The bundle is signed by the key you expect (set ${EXPECTED_SIGNER_VARIABLE} first, see above)`,
      commands: [START_LINE, SIGNER_LINE],
      expect: `"ok: ${signerKey} is the expected key".`,
    },
    {
      title: `The list of files (${checksums}) is the one the exporter signed`,
      commands: [
        checkLine(
          `openssl pkeyutl -verify -pubin -inkey ${signerKey} -rawin -in ${checksums} -sigfile ${checksumsSignature} > /dev/null`,
          `${checksums} is signed by ${signerKey}`,
          `${checksums} was changed after it was signed`,
        ),
      ],
      expect: `"ok: ${checksums} is signed by ${signerKey}".`,
    },
    {
      title: 'Every listed file is present and unchanged',
      commands: [
        checkLine(
          `sha256sum --strict --quiet -c ${checksums}`,
          'every listed file is unchanged',
          'the files named above are missing or changed',
        ),
      ],
      expect: '"ok: every listed file is unchanged" (a changed or missing file is named, with FAILED).',
    },
    {
      title: 'No file was added',
      commands: [
        checkLine(
          `d="$(LC_ALL=C comm -3 <(find . ! -type d | cut -c3- | LC_ALL=C sort) <({ cut -c67- ${checksums}; printf '%s\\n' ${checksums} ${checksumsSignature}; } | LC_ALL=C sort))"; [ -z "$d" ] || { printf '%s\\n' "$d" >&2; false; }`,
          'no file added or missing',
          'the files printed above are not in the signed list',
        ),
      ],
      expect: '"ok: no file added or missing" (otherwise each file that differs is printed).',
    },
    {
      title:
        'The manifest (case, items, capture records) is the one the exporter signed, and lists the same files',
      commands: [
        checkLine(
          `openssl pkeyutl -verify -pubin -inkey ${signerKey} -rawin -in ${manifest} -sigfile ${signature} > /dev/null`,
          `${manifest} is signed by ${signerKey}`,
          `${manifest} was changed after it was signed`,
        ),
        checkLine(
          `jq -r '(.items[].artifacts[], .files[]) | "\\(.sha256)  \\(.path)"' ${manifest} | sha256sum --strict --quiet -c`,
          "the manifest's hashes match the files",
          'the files named above differ from the manifest',
        ),
      ],
      expect: 'both lines say "ok".',
    },
    {
      title: `The custody chain recomputes: each line of ${custodyBodies} is its ${custody} entry without "hash" and "signature", each entry's hash is the SHA-256 of those exact bytes, each signature verifies over them, and each entry links to the one before`,
      commands: [
        checkLine(
          `[ "$(wc -l < ${custody})" -eq "$(wc -l < ${custodyBodies})" ] && [ "$(jq -cS 'if .omitted then . else del(.hash, .signature) end' ${custody} | sha256sum)" = "$(jq -cS . ${custodyBodies} | sha256sum)" ]`,
          'every body is its entry',
          `${custodyBodies} does not match ${custody}`,
        ),
        checkLine(CUSTODY_HASH_TEST, 'every custody entry hashes to its hash', 'a custody entry was changed'),
        checkLine(
          CUSTODY_SIGNATURE_TEST,
          'every custody entry is signed by the key it names',
          'a custody signature does not verify',
        ),
        checkLine(
          `jq -s -e '. as $e | all(range(1; $e | length); $e[.].seq == $e[. - 1].seq + 1 and ($e[.].omitted == true or $e[.].prevHash == $e[. - 1].hash))' ${custody} > /dev/null`,
          'the chain is unbroken',
          'the custody chain is broken (an entry removed, added or reordered)',
        ),
      ],
      expect: 'all four lines say "ok".',
    },
    {
      title: `Each item's digest recomputes: each line of ${itemRecords} is its item's capture record in ${manifest}, the digest is the SHA-256 of those exact bytes, the record lists the item's files, and a custody entry about the item signs the digest`,
      commands: [
        checkLine(
          `[ "$(jq '.items | length' ${manifest})" -eq "$(wc -l < ${itemRecords})" ] && [ "$(jq -cS '.items[].record' ${manifest} | sha256sum)" = "$(jq -cS . ${itemRecords} | sha256sum)" ]`,
          'every record is its item',
          `${itemRecords} does not match ${manifest}`,
        ),
        checkLine(
          `paste -d ' ' <(jq -r '.items[].digest' ${manifest}) <(while IFS= read -r record; do printf '%s' "$record" | sha256sum | cut -c1-64; done < ${itemRecords}) | (n=0; while read -r want got; do n=$((n+1)); [ "$want" = "$got" ] || { echo "item $n: its record hashes to $got, its digest is $want" >&2; exit 1; }; done)`,
          'every item digest is the hash of its record',
          'an item record was changed',
        ),
        checkLine(
          `jq -e 'all(.items[]; [.record.artifacts[].sha256] == [.artifacts[].sha256])' ${manifest} > /dev/null`,
          "every record lists its item's files",
          "a record does not list its item's files",
        ),
        checkLine(
          `jq -e --slurpfile c ${custody} 'all(.items[]; .id as $id | .digest as $d | any($c[]; .subject == $id and .details.digest == $d))' ${manifest} > /dev/null`,
          'every item digest is signed in the custody chain',
          'an item has no custody entry signing its digest',
        ),
      ],
      expect: 'all four lines say "ok".',
    },
    {
      title: 'The evidence hash printed on every page of the report',
      commands: [EVIDENCE_HASH_COMMAND],
      expect: 'the same 64 hex digits as "Evidence SHA-256" in report.pdf.',
    },
    {
      title: 'Optionally, everything at once with Custos (it also reads each record against its format)',
      commands: [
        `if command -v custos > /dev/null && [ -f ${shellWord(`../${bundleName}`)} ]; then custos verify ${shellWord(`../${bundleName}`)} --expect-signer "$${EXPECTED_SIGNER_VARIABLE}" || { ${MARK_FAILED}; }; else echo "custos verify skipped (needs custos and "${shellWord(`../${bundleName}`)}")"; fi`,
      ],
      expect: '"Valid" and exit status 0, or "skipped".',
    },
    {
      title:
        "Last, whether every check above passed (in VERIFY.txt after the trusted timestamps' commands, when the bundle has any)",
      commands: [SUMMARY_LINE],
      expect:
        '"ok: every check above passed"; it fails when any check before it failed, so the sequence exits non-zero even when run without bash -e.',
    },
  ];
}

/** The `openssl ts -verify` command of each token, with what it covers (run only when TSA_ROOT is set). */
export function timestampCommands(
  index: readonly TimestampIndexEntry[],
): { covers: string; command: string }[] {
  return index.map((entry) => ({
    covers:
      entry.covers === LEDGER_HEAD_COVER
        ? `the custody ledger head (the entry with "seq": ${entry.ledgerSeq ?? '?'} in ${custody})`
        : `item ${entry.covers}`,
    command: `if [ -n "\${${TSA_ROOT_VARIABLE}:-}" ]; then ${opensslVerifyCommand({
      tsrPath: entry.file,
      imprintHex: entry.sha256,
      caFile: `"$${TSA_ROOT_VARIABLE}"`,
      untrustedFile: entry.chain ?? entry.file.replace(/\.tsr$/, '.chain.pem'),
      genTime: entry.time,
    })} || { ${MARK_FAILED}; }; else echo "${entry.file} not checked: set ${TSA_ROOT_VARIABLE}"; fi`,
  }));
}

/**
 * The line that checks what each token covers: an item's token must be over that item's digest in
 * the signed manifest, a ledger-head token over the hash of the custody entry it names. Without it
 * `openssl ts -verify -digest` proves only that a token is over the imprint index.json gives, not
 * that the imprint is the item's.
 */
export const TIMESTAMP_COVERS_COMMAND = checkLine(
  `jq -e --slurpfile m ${manifest} --slurpfile c ${custody} 'all(.[]; .sha256 as $h | if .covers == "${LEDGER_HEAD_COVER}" then (.ledgerSeq as $s | any($c[]; .seq == $s and .hash == $h)) else (.covers as $id | any($m[0].items[]; .id == $id and .digest == $h)) end)' timestamps/index.json > /dev/null`,
  'every token is over the digest of what it covers',
  'timestamps/index.json gives a token an imprint that is not the digest of what it covers',
);

/** A step as VERIFY.txt prints it: numbered title, `$ ` commands, what to expect. */
function stepText(step: VerifyStep, number: number): string {
  return `${number}. ${step.title}:\n\n${step.commands.map((c) => `$ ${c}`).join('\n')}\n\n   Expected: ${step.expect}\n`;
}

/** The timestamps section of VERIFY.txt (empty when the bundle carries no token). */
function timestampSection(bundleName: string, index: readonly TimestampIndexEntry[]): string {
  if (index.length === 0) return '';
  const commands = timestampCommands(index)
    .map((c) => `   ${c.covers}:\n$ ${c.command}`)
    .join('\n\n');
  return `
TRUSTED TIMESTAMPS (RFC 3161)
=============================

Each file timestamps/<name>.tsr is a time-stamping authority's reply exactly as received, over the
SHA-256 imprint given after -digest: an item's digest, or the hash of a custody entry (the ledger
head). timestamps/index.json says what each one covers. The authority's certificate chain is in
timestamps/<name>.chain.pem; it only helps OpenSSL build the path and is NOT a trust anchor.

Set ${TSA_ROOT_VARIABLE} to a file holding the root certificate of the authority that YOU trust, obtained
from the authority or your own trust list, never from this bundle (a bundle could carry a root made
by anyone): export ${TSA_ROOT_VARIABLE}=/path/to/root.pem. Without it these lines only say they were
skipped. -attime judges the certificates at the token's own time, so a token stays valid after
the authority's certificate expires. Expected for each: "Verification: OK".

First, that each imprint is the digest of what index.json says the token covers (an item's digest
in ${manifest}, or the hash of the custody entry in ${custody}); expected: "ok: every token is over
the digest of what it covers".

$ ${TIMESTAMP_COVERS_COMMAND}

${commands}

Custos does the same with: custos verify ${shellWord(bundleName)} --tsa-roots /path/to/root.pem
`;
}

/**
 * A file name as one bash word: as it is when it holds only characters bash reads literally, else
 * in single quotes. The bundle's name is the exporter's choice ("Case 12 (final).zip"); unquoted,
 * a space, a bracket or a quote broke the recipe's line, so an intact bundle failed, and `$(…)` in
 * a name would have run as a command on the recipient's machine.
 */
export function shellWord(name: string): string {
  return /^[\p{L}\p{N}._+,:@%/=-]+$/u.test(name) ? name : `'${name.replaceAll("'", `'\\''`)}'`;
}

/** The text of VERIFY.txt. */
export function verifyText(
  bundleName: string,
  signerFingerprint: string,
  timestamps: readonly TimestampIndexEntry[] = [],
): string {
  const all = verifySteps(bundleName);
  // the summary comes last, after the timestamp commands, whose failures it counts too
  const summary = all[all.length - 1]!;
  const steps = all
    .slice(0, -1)
    .map((step, i) => stepText(step, i + 1))
    .join('\n');
  return `HOW TO VERIFY THIS EVIDENCE BUNDLE
==================================

This bundle was made by Custos (bundle format 2). Everything in it can be checked with bash,
coreutils, OpenSSL 3 and jq, without trusting Custos. Each line starting with "$ " is one command:
run them in order, in bash, in the folder where the bundle was unzipped, e.g. after

   mkdir bundle && cd bundle && unzip ${shellWord(`../${bundleName}`)}

Each command exits with a non-zero status when what it checks does not hold, and the last one fails
when any check before it failed, so the whole sequence fails on any tampering. To run them all at once (read them first: they come from the bundle):

   grep '^\\$ ' VERIFY.txt | cut -c3- > /tmp/verify.sh && ${EXPECTED_SIGNER_VARIABLE}=<fingerprint> bash -e /tmp/verify.sh

WHO SIGNED IT. The bundle says it was signed by the key with this fingerprint (SHA-256 of the
public key's DER encoding; the report prints it in groups of four):

   ${signerFingerprint}
   (${groupedFingerprint(signerFingerprint)})

Anyone can make a bundle that says so. Compare it with the fingerprint the exporter gave you by
another channel (letter, phone, the case file), then give YOUR copy to the commands below:

   export ${EXPECTED_SIGNER_VARIABLE}=<the fingerprint you were given>

${steps}
What each file is:

   ${manifest}          case, exporter, time, tool, every item with its capture record, digest and artifacts
   ${signature}           Ed25519 signature of ${manifest}'s exact bytes (64 raw bytes)
   ${signerKey}            the exporter's public key (SPKI PEM)
   ${checksums}            SHA-256 of every file except itself and ${checksumsSignature}
   ${checksumsSignature}        Ed25519 signature of ${checksums}'s exact bytes (64 raw bytes)
   ${custody}         the custody ledger entries, hash-chained and signed, one per line
   ${custodyBodies}  line by line, the exact bytes each entry's hash and signature cover
   ${itemRecords}    line by line, the exact bytes each item's digest is the SHA-256 of
   timestamps/           trusted timestamps (RFC 3161) with index.json, when any were obtained
   items/<id>/           the artifacts of each item, byte for byte as preserved
   ${BUNDLE_FILES.reportHtml}, ${BUNDLE_FILES.reportPdf}  the human-readable report (the exhibit)
   ${BUNDLE_FILES.verifyText}            this guide

A custody entry's hash is the SHA-256 of its RFC 8785 canonical JSON without the "hash" and
"signature" members; ${custodyBodies} carries those bytes so that no canonicaliser is needed. An
omitted line ({"hash","omitted","seq"}) stands for an entry of other business: it keeps the chain
whole without showing it, and appears in both files as it is. An item's digest is the SHA-256 of
the RFC 8785 canonical JSON of its capture record ("record" in ${manifest}), which ${itemRecords}
carries as those exact bytes; the custody entry that created the item signs that digest
(details.digest), and a trusted timestamp, when there is one, covers it.
${timestampSection(bundleName, timestamps)}
${stepText(summary, all.length)}`;
}
