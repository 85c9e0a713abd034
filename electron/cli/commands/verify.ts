import fs from 'node:fs';
import type { Command } from 'commander';
import { sealKeysFromFiles } from '../../core/bundle/age-seal.js';
import { verifyBundle } from '../../core/bundle/verify-bundle.js';
import { badInput, integrityFailure } from '../../core/errors.js';
import { outputFor } from '../context.js';

/** `custos verify FILE.zip [--expect-signer FPR] [--identity F | --passphrase-file F]` */
export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description(
      'check a bundle without any store: structure, checksums, signature, custody chain, item digests, timestamps',
    )
    .argument('<file>', 'the bundle (.zip, or sealed with age)')
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
Exit status: 0 valid; 1 anything differs (each difference is named); 2 not a bundle, or bad usage.
A timestamp whose authority does not chain to a root you trust is a WARNING, not a failure: the
bundle is intact, but the trusted time of what it covers is not established (docs/VERIFYING.md).

Examples:
  custos verify BE-2026-0142.zip
  custos verify BE-2026-0142.zip --expect-signer 5c1f…e2 --json
  custos verify BE-2026-0142.zip --tsa-roots national-tsa-root.pem
  custos verify sealed.zip.age --identity ~/.config/age/key.txt`,
    )
    .action(async function (
      this: Command,
      file: string,
      options: { expectSigner?: string; identity?: string; passphraseFile?: string; tsaRoots?: string[] },
    ) {
      const out = outputFor(this);
      const report = await verifyBundle(file, {
        expectSigner: options.expectSigner,
        seal: sealKeysFromFiles(options),
        tsaRootsPem: readRootFiles(options.tsaRoots ?? []),
      });
      if (out.json) out.result(report);
      else {
        if (report.case) out.line(`Case:      ${report.case.number}: ${report.case.title}`);
        if (report.exporter) {
          out.line(
            `Exporter:  ${report.exporter.name}${report.exporter.agency ? `, ${report.exporter.agency}` : ''} at ${report.exportedAt}`,
          );
        }
        out.line(`Signer:    ${report.signer ?? '(no readable key)'}`);
        out.line(
          `Items:     ${report.items.length}, files: ${report.files}, timestamps: ${report.timestamps.length}`,
        );
        for (const t of report.timestamps) {
          const status = t.valid ? 'trusted' : t.trusted ? 'INVALID' : 'NOT TRUSTED';
          out.line(`Timestamp ${t.covers}: ${t.time} by ${t.tsa} (${status}, ${t.file})`);
        }
        for (const problem of report.problems) out.line(`PROBLEM  ${problem.path}: ${problem.problem}`);
        for (const warning of report.warnings) out.line(`WARNING  ${warning.path}: ${warning.problem}`);
        const untimed = report.items.filter((item) => item.trustedTime === null).length;
        if (report.timestamps.length > 0 && untimed > 0)
          out.line(`Trusted time NOT established for ${untimed} of ${report.items.length} item(s).`);
        out.line(
          report.valid
            ? 'Valid: every file, the signature and the custody chain check.'
            : `INVALID: ${report.problems.length} problem(s).`,
        );
      }
      if (!report.valid)
        throw integrityFailure(`the bundle does not verify: ${report.problems.length} problem(s)`, {
          cause: 'reported',
        });
    });
}

/** The PEM files of `--tsa-roots`, each checked to hold a certificate before anything is verified. */
function readRootFiles(files: readonly string[]): string[] {
  return files.map((file) => {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      throw badInput(
        `--tsa-roots ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? error})`,
      );
    }
    if (!text.includes('-----BEGIN CERTIFICATE-----'))
      throw badInput(`--tsa-roots ${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
    return text;
  });
}
