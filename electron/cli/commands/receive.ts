import type { Command } from 'commander';
import { integrityFailure } from '../../core/errors.js';
import { withStore } from '../context.js';

/** `custos receive FILE.zip [--expect-signer FPR] [--identity F | --passphrase-file F]` */
export function registerReceive(program: Command): void {
  program
    .command('receive')
    .description('verify a bundle, then take its items into this store with a custody-transfer entry')
    .argument('<file>', 'the bundle (.zip, or sealed with age)')
    .option('--expect-signer <fingerprint>', "the sender's key fingerprint, received by another channel")
    .option('--identity <file>', 'age identity file (AGE-SECRET-KEY-…) to open a sealed bundle')
    .option('--passphrase-file <file>', 'file holding the passphrase of a sealed bundle')
    .addHelpText(
      'after',
      `
Nothing is written unless the bundle verifies completely. Receiving the same bundle again changes
nothing. The sender's custody entries are kept as received history.

Examples:
  custos receive BE-2026-0142.zip --expect-signer 5c1f…e2
  custos receive sealed.zip.age --identity ~/.config/age/key.txt --json`,
    )
    .action(async function (
      this: Command,
      file: string,
      options: { expectSigner?: string; identity?: string; passphraseFile?: string },
    ) {
      // Loaded when run, not when the command line is read: every command pays for what it imports.
      const { sealKeysFromFiles } = await import('../../core/bundle/age-seal.js');
      const { BundleRejected, receiveBundle } = await import('../../core/bundle/receive-bundle.js');
      const seal = sealKeysFromFiles(options);
      await withStore(this, 'write', async (store, out, committed) => {
        let result: Awaited<ReturnType<typeof receiveBundle>>;
        try {
          result = await receiveBundle(store, file, { expectSigner: options.expectSigner, seal });
        } catch (error) {
          if (!(error instanceof BundleRejected)) throw error;
          if (out.json) out.result({ received: false, ...error.report });
          for (const problem of error.report.problems)
            out.message(`PROBLEM  ${problem.path}: ${problem.problem}`);
          throw integrityFailure(`${error.message}`);
        }
        // Received items are checked against the selectors like any new evidence (the sender's
        // timestamps come with them: they are not stamped again here).
        const imported = result.items.filter((i) => i.status === 'imported');
        committed(
          imported.map((i) => i.id),
          { stamp: false },
        );
        if (out.json) return out.result({ received: !result.alreadyReceived, ...result });
        if (result.alreadyReceived) {
          out.line(
            `Already received on ${result.receivedAt} (custody entry #${result.ledgerSeq}); nothing changed.`,
          );
          return;
        }
        out.line(
          `Received ${imported.length} new item(s) of ${result.items.length} into case ${result.case.number}: ${result.case.title}`,
        );
        out.line(`Bundle SHA-256: ${result.fileSha256}`);
        out.line(`Signed by key:  ${result.signer}`);
        out.line(`Recorded as custody entry #${result.ledgerSeq}`);
      });
    });
}
