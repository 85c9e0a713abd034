import type { Command } from 'commander';
import { badInput } from '../../core/errors.js';
import type { EvidenceStore } from '../../core/store/evidence-store.js';
import { withStore } from '../context.js';
import { formatBytes, type Output } from '../output.js';
import { holdYoungGeneration } from '../young-generation.js';

/** What `export` writes. */
const EXPORT_FORMATS = ['bundle', 'wacz'] as const;

interface ExportCommandOptions {
  readonly case: string;
  readonly out: string;
  readonly item?: string[];
  readonly format?: string;
  readonly recipient?: string[];
  readonly passphraseFile?: string;
}

/**
 * `custos export --case CASE --out FILE.zip [--item ID…] [--recipient KEY…|--passphrase-file F]`,
 * or `--format wacz --out FILE.wacz`
 */
export function registerExport(program: Command): void {
  program
    .command('export')
    .description(
      'write a sealed bundle of a case (or some of its items) that anyone can verify with coreutils and OpenSSL',
    )
    .requiredOption('--case <case>', 'case id or number')
    .requiredOption('--out <file>', 'the bundle file to write (never overwritten)')
    .option('--item <id...>', 'export only these items of the case')
    .option('--format <format>', 'bundle (a sealed bundle, the default) or wacz (a signed WACZ web archive)')
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
  custos export --case BE-2026-0142 --out sealed.zip.age --recipient age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq
  custos export --case BE-2026-0142 --format wacz --out BE-2026-0142.wacz

--format wacz writes the case's page captures as a WACZ 1.1.1 web archive that replays in
ReplayWeb.page, signed per the WACZ signing recommendation (docs/BUNDLE-FORMAT.md, "The WACZ").`,
    )
    .action(async function (this: Command, options: ExportCommandOptions) {
      const format = exportFormat(options.format);
      holdYoungGeneration();
      if (format === 'wacz') {
        if (options.recipient || options.passphraseFile !== undefined)
          throw badInput(
            '--recipient and --passphrase-file seal a bundle; a WACZ is not sealed (seal a bundle, which carries the WACZ)',
          );
        return withStore(this, 'write', (store, out) => exportWaczCommand(store, out, options));
      }
      // Loaded when run, not when the command line is read: every command pays for what it imports.
      const { readPassphraseFile } = await import('../../core/bundle/age-seal.js');
      const { exportBundle } = await import('../../core/bundle/export-bundle.js');
      const { ChromiumPdfPrinter } = await import('../../core/bundle/pdf-printer.js');
      const { partedPrintOptions } = await import('../../core/bundle/parted-print.js');
      const passphrase =
        options.passphraseFile === undefined ? undefined : readPassphraseFile(options.passphraseFile);
      // Read before anything is done (a stamp asked of an authority, a WACZ written): a bad
      // CUSTOS_REPORT_PART_ITEMS is bad input, with nothing written.
      const printer = new ChromiumPdfPrinter(undefined, partedPrintOptions());
      await withStore(this, 'write', async (store, out) => {
        const result = await exportBundle(store, {
          caseRef: options.case,
          printer,
          out: options.out,
          itemRefs: options.item,
          seal: { recipients: options.recipient, passphrase },
          onProgress: (done, total, stage) =>
            out.progress({
              done,
              total,
              label:
                stage === 'printing'
                  ? 'evidence written; printing the report'
                  : `writing ${formatBytes(done)}`,
            }),
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

/** The `--format` asked for; bad input for any other. */
function exportFormat(raw: string | undefined): (typeof EXPORT_FORMATS)[number] {
  if (raw === undefined) return 'bundle';
  const format = EXPORT_FORMATS.find((f) => f === raw.toLowerCase());
  if (!format) throw badInput(`unknown --format "${raw}"; formats are: ${EXPORT_FORMATS.join(', ')}`);
  return format;
}

/** `export --format wacz`: writes the WACZ and prints what goes on the custody form. */
async function exportWaczCommand(
  store: EvidenceStore,
  out: Output,
  options: ExportCommandOptions,
): Promise<void> {
  const { exportWacz } = await import('../../core/wacz/export-wacz.js');
  const result = await exportWacz(store, { caseRef: options.case, out: options.out, itemRefs: options.item });
  const stamp =
    result.stamp.status === 'granted'
      ? { status: 'granted', genTime: result.stamp.stamp.genTime, tsa: result.stamp.stamp.tsa, reason: null }
      : { status: result.stamp.status, genTime: null, tsa: null, reason: result.stamp.reason };
  if (out.json) {
    return out.result({
      file: result.file,
      sha256: result.sha256,
      size: result.size,
      items: result.items,
      skipped: result.skipped,
      signer: result.signer,
      publicKey: result.publicKey,
      datapackageSha256: result.datapackageSha256,
      ledgerSeq: result.ledgerEntry.seq,
      timestamp: stamp,
    });
  }
  out.line(`Exported ${result.items.length} page(s) to ${result.file} (${formatBytes(result.size)})`);
  if (result.skipped.length > 0)
    out.line(
      `Left out ${result.skipped.length} item(s) that are not page captures (they go in a sealed bundle)`,
    );
  out.line(`WACZ SHA-256:   ${result.sha256}`);
  out.line(`Signed for key: ${result.signer} (ECDSA P-384 key derived from it, in custos/signer.json)`);
  out.line(`datapackage.json SHA-256 (signed): ${result.datapackageSha256}`);
  out.line(`Recorded as custody entry #${result.ledgerEntry.seq}`);
  out.line(
    stamp.status === 'granted'
      ? `Digest timestamped: ${stamp.genTime} by ${stamp.tsa}`
      : `Digest NOT timestamped (${stamp.reason})`,
  );
}
