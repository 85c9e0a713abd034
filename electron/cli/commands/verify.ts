import type { Command } from 'commander';
import type { WaczVerification } from '../../../shared/api.js';
import { groupedFingerprint } from '../../../shared/fingerprint-text.js';
import type { BundleVerification as VerifyReport } from '../../../shared/verification.js';
import { trustWords, untimedItemsLine, waczTrustWords } from '../../../shared/verification.js';
import type { ZipDirectory } from '../../core/bundle/zip-reader.js';
import { badInput, integrityFailure } from '../../core/errors.js';
import { readRecipientRoots } from '../../core/timestamp/recipient-roots.js';
import { outputFor } from '../context.js';
import type { Output } from '../output.js';

/** `custos verify FILE.zip|FILE.wacz [--expect-signer FPR] [--identity F | --passphrase-file F]` */
export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description(
      'check a bundle without any store: structure, checksums, signature, custody chain, item digests, timestamps',
    )
    .argument('<file>', 'the bundle (.zip, or sealed with age), or a WACZ (.wacz)')
    .option('--expect-signer <fingerprint>', "the exporter's key fingerprint, received by another channel")
    .option('--identity <file>', 'age identity file (AGE-SECRET-KEY-…) to open a sealed bundle')
    .option('--passphrase-file <file>', 'file holding the passphrase of a sealed bundle')
    .option(
      '--tsa-roots <file...>',
      "PEM root certificates of time-stamping authorities you trust, besides the system's (never taken from the bundle)",
    )
    .addHelpText(
      'after',
      `
Exit status: 0 valid; 1 anything differs (each difference is named); 2 not a bundle, or bad usage;
3 the file's disk failed while it was read, or the file changed meanwhile (nothing decided).
Without --expect-signer, "valid" means only that the bundle is intact as signed by the key it
carries: a WARNING on stderr prints that key's fingerprint to compare with the exporter's, and
--json says "signerChecked": false. Each timestamp says whether its authority is publicly trusted,
trusted by a root you gave, trusted only because the investigator added its root, or untrusted.
A timestamp whose authority does not chain to a root you trust is a WARNING, not a failure: the
bundle is intact, but the trusted time of what it covers is not established (docs/VERIFYING.md).

Examples:
  custos verify BE-2026-0142.zip
  custos verify BE-2026-0142.zip --expect-signer 5c1f…e2 --json
  custos verify BE-2026-0142.zip --tsa-roots national-tsa-root.pem
  custos verify sealed.zip.age --identity ~/.config/age/key.txt
  custos verify BE-2026-0142.wacz --expect-signer 5c1f…e2

A WACZ is checked as its specification and the WACZ signing recommendation say: every file
against datapackage.json, datapackage.json against its digest, the digest's signature and its
RFC 3161 token (exit 2 for a file that is not a WACZ).`,
    )
    .action(async function (
      this: Command,
      file: string,
      options: { expectSigner?: string; identity?: string; passphraseFile?: string; tsaRoots?: string[] },
    ) {
      const out = outputFor(this);
      const tsaRootsPem = readRecipientRoots(options.tsaRoots ?? []);
      // Loaded when run, not when the command line is read: every command pays for what it imports.
      const [{ verifyTargetOf, worthHashingAhead }, { startVerifyThreads }] = await Promise.all([
        import('../../core/wacz/verify-target.js'),
        import('../../core/bundle/verify-threads.js'),
      ]);
      // A bundle's hashing threads start first: a thread takes tens of milliseconds to start, spent
      // on another core while this one loads the checks and reads the ZIP's directory. Not for a
      // WACZ, a sealed bundle (its threads run on the decrypted copy) or bad input.
      const threads = worthHashingAhead(file) ? startVerifyThreads(file) : null;
      let directory: ZipDirectory | null = null;
      let report: VerifyReport;
      try {
        // The ZIP's directory, read to tell a WACZ from a bundle, goes on to the check (read once).
        const target = await verifyTargetOf(file);
        directory = target.directory;
        if (target.wacz) {
          await threads?.close();
          if (options.identity !== undefined || options.passphraseFile !== undefined)
            throw badInput('--identity and --passphrase-file open a sealed bundle; a WACZ is not sealed');
          // The WACZ check (and zod, for its schemas) is loaded only for a WACZ.
          const { verifyWacz } = await import('../../core/wacz/verify-wacz.js');
          return printWaczReport(
            out,
            await verifyWacz(file, { expectSigner: options.expectSigner, tsaRootsPem, directory }),
          );
        }
        const { sealKeysFromFiles } = await import('../../core/bundle/age-keys.js');
        const { verifyBundle } = await import('../../core/bundle/verify-bundle.js');
        report = await verifyBundle(file, {
          expectSigner: options.expectSigner,
          seal: sealKeysFromFiles(options),
          tsaRootsPem,
          directory,
          startedThreads: threads ?? undefined,
        });
      } finally {
        directory?.zip.close(); // closed by the check already, unless it stopped before reading it
        await threads?.close(); // likewise
      }
      if (!report.signerChecked && report.signer) warnSignerNotChecked(out, report.signer);
      if (out.json) out.result(report);
      else {
        if (report.case) out.line(`Case:      ${report.case.number}: ${report.case.title}`);
        if (report.exporter) {
          out.line(
            `Exporter:  ${report.exporter.name}${report.exporter.agency ? `, ${report.exporter.agency}` : ''} at ${report.exportedAt}`,
          );
        }
        out.line(
          `Signer:    ${report.signer ?? '(no readable key)'}${report.signerChecked ? ' (the one you expected)' : ' (NOT CHECKED: see the warning)'}`,
        );
        if (report.evidenceSha256)
          out.line(`Evidence:  ${report.evidenceSha256} (printed on every page of report.pdf)`);
        out.line(
          `Items:     ${report.items.length}, files: ${report.files}, timestamps: ${report.timestamps.length}`,
        );
        for (const t of report.timestamps) {
          out.line(
            `Timestamp ${t.covers}: ${t.time} by ${t.tsa} (${trustWords(t.trust, t.rootEntry)}, ${t.file})`,
          );
        }
        for (const problem of report.problems) out.line(`PROBLEM  ${problem.path}: ${problem.problem}`);
        for (const warning of report.warnings) out.line(`WARNING  ${warning.path}: ${warning.problem}`);
        const untimed = untimedItemsLine(report);
        if (untimed) out.line(untimed);
        out.line(
          report.valid
            ? report.signerChecked
              ? 'Valid: every file, the signature and the custody chain check, signed by the key you expected.'
              : 'Valid as signed by the key above: every file, the signature and the custody chain check (the signer was not checked).'
            : `INVALID: ${report.problems.length} problem(s).`,
        );
      }
      if (!report.valid)
        throw integrityFailure(`the bundle does not verify: ${report.problems.length} problem(s)`, {
          cause: 'reported',
        });
    });
}

/** Prints what `verify` found in a WACZ, and fails with exit 1 when anything differs. */
function printWaczReport(out: Output, report: WaczVerification): void {
  if (!report.signerChecked && report.signer) warnSignerNotChecked(out, report.signer, 'a WACZ');
  if (out.json) out.result(report);
  else {
    if (report.case) out.line(`Case:      ${report.case.number}: ${report.case.title}`);
    out.line(
      `WACZ:      version ${report.waczVersion ?? '?'}, ${report.pages} page(s), ${report.resources} file(s)`,
    );
    if (report.created) out.line(`Signed:    ${report.created} with ${report.software ?? '?'}`);
    out.line(
      `Signer:    ${report.signer ?? '(no readable key)'}${report.signerChecked ? ' (the one you expected)' : ' (NOT CHECKED: see the warning)'}`,
    );
    const t = report.timestamp;
    if (t) out.line(`Timestamp: ${t.time ?? '?'} by ${t.tsa} (${waczTrustWords(t)})`);
    else out.line("Timestamp: none (the time of signing is the workstation clock's)");
    for (const problem of report.problems) out.line(`PROBLEM  ${problem.path}: ${problem.problem}`);
    for (const warning of report.warnings) out.line(`WARNING  ${warning.path}: ${warning.problem}`);
    out.line(
      report.valid
        ? `Valid${report.signerChecked ? '' : ' as signed by the key above'}: every file, the digest and the signature check.`
        : `INVALID: ${report.problems.length} problem(s).`,
    );
  }
  if (!report.valid)
    throw integrityFailure(`the WACZ does not verify: ${report.problems.length} problem(s)`, {
      cause: 'reported',
    });
}

/** Says on stderr that the signer was not compared with an expected key, and what to compare. */
function warnSignerNotChecked(out: Output, signer: string, what = 'a bundle'): void {
  out.message(
    `WARNING: the signer was not checked. Anyone can make ${what} that verifies with its own key.
Compare this fingerprint with the one the exporter gave you by another channel (letter, phone):
  ${groupedFingerprint(signer)}
then verify again with --expect-signer ${signer}`,
  );
}
