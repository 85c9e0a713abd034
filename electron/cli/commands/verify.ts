import type { Command } from 'commander';
import { sealKeysFromFiles } from '../../core/bundle/age-seal.js';
import { verifyBundle } from '../../core/bundle/verify-bundle.js';
import { integrityFailure } from '../../core/errors.js';
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
    .addHelpText(
      'after',
      `
Exit status: 0 valid; 1 anything differs (each difference is named); 2 not a bundle, or bad usage.

Examples:
  custos verify BE-2026-0142.zip
  custos verify BE-2026-0142.zip --expect-signer 5c1f…e2 --json
  custos verify sealed.zip.age --identity ~/.config/age/key.txt`,
    )
    .action(async function (
      this: Command,
      file: string,
      options: { expectSigner?: string; identity?: string; passphraseFile?: string },
    ) {
      const out = outputFor(this);
      const report = await verifyBundle(file, {
        expectSigner: options.expectSigner,
        seal: sealKeysFromFiles(options),
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
        for (const problem of report.problems) out.line(`PROBLEM  ${problem.path}: ${problem.problem}`);
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
