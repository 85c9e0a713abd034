import type { Command } from 'commander';
import { readPassphraseFile } from '../../core/bundle/age-seal.js';
import { exportBundle } from '../../core/bundle/export-bundle.js';
import { withStore } from '../context.js';
import { formatBytes } from '../output.js';

/** `custos export --case CASE --out FILE.zip [--item ID…] [--recipient KEY…|--passphrase-file F]` */
export function registerExport(program: Command): void {
  program
    .command('export')
    .description(
      'write a sealed bundle of a case (or some of its items) that anyone can verify with coreutils and OpenSSL',
    )
    .requiredOption('--case <case>', 'case id or number')
    .requiredOption('--out <file>', 'the bundle file to write (never overwritten)')
    .option('--item <id...>', 'export only these items of the case')
    .option('--recipient <age-public-key...>', 'seal the bundle with age for these recipients (age1…)')
    .option('--passphrase-file <file>', 'seal the bundle with age under the passphrase in this file')
    .addHelpText(
      'after',
      `
The bundle is written to a temporary file and appears only when whole. A custody entry records
its SHA-256, which is printed: copy it onto the paper custody form.

Examples:
  custos export --case BE-2026-0142 --out BE-2026-0142.zip
  custos export --case BE-2026-0142 --item 3f2a9c1e --out extract.zip
  custos export --case BE-2026-0142 --out sealed.zip.age --recipient age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq`,
    )
    .action(async function (
      this: Command,
      options: { case: string; out: string; item?: string[]; recipient?: string[]; passphraseFile?: string },
    ) {
      const passphrase =
        options.passphraseFile === undefined ? undefined : readPassphraseFile(options.passphraseFile);
      await withStore(this, 'write', async (store, out) => {
        const result = await exportBundle(store, {
          caseRef: options.case,
          out: options.out,
          itemRefs: options.item,
          seal: { recipients: options.recipient, passphrase },
          onProgress: (done, total) => out.progress({ done, total, label: `writing ${formatBytes(done)}` }),
        });
        out.progressDone();
        if (out.json) {
          return out.result({
            file: result.file,
            sha256: result.sha256,
            size: result.size,
            zipSha256: result.zipSha256,
            sealed: result.sealed,
            items: result.items,
            signer: result.signer,
            evidenceSha256: result.evidenceSha256,
            ledgerSeq: result.ledgerEntry.seq,
            timestamps: result.timestamps,
            headStamp: result.headStamp,
          });
        }
        out.line(
          `Exported ${result.items.length} item(s) to ${result.file} (${formatBytes(result.size)})${result.sealed ? ', sealed with age' : ''}`,
        );
        out.line(`Bundle SHA-256: ${result.sha256}`);
        if (result.sealed) out.line(`ZIP SHA-256 (inside the seal): ${result.zipSha256}`);
        out.line(`Signed by key:  ${result.signer}`);
        out.line(`Evidence SHA-256 (on every page of report.pdf): ${result.evidenceSha256}`);
        out.line(`Recorded as custody entry #${result.ledgerEntry.seq}`);
        const head = result.headStamp;
        out.line(
          head.status === 'granted'
            ? `Ledger head timestamped: ${head.genTime} by ${head.tsa}; ${result.timestamps} timestamp(s) in the bundle`
            : `Ledger head NOT timestamped (${head.reason}); ${result.timestamps} timestamp(s) in the bundle${head.status === 'pending' ? '; `custos timestamp` requests it later' : ''}`,
        );
      });
    });
}
