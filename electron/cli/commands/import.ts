import type { Command } from 'commander';
import { operationFailure } from '../../core/errors.js';
import { withStore } from '../context.js';
import { formatBytes } from '../output.js';
import { rawArg, rawArgs } from '../raw-argv.js';
import { itemJson, printItems } from './items.js';

/** `custos import FILE… --case CASE` */
export function registerImport(program: Command): void {
  program
    .command('import')
    .description('import files as evidence, one item per file, each original preserved byte for byte')
    .argument('<file...>', 'files to import')
    .requiredOption('--case <case>', 'case id or number')
    .addHelpText(
      'after',
      '\nEvery file is checked before any is imported: a missing file, a folder or a pipe stops the\nwhole import with nothing written.\n\nExamples:\n  custos import photo1.jpg chat-export.txt --case BE-2026-0142\n  custos import ~/phone/DCIM/*.jpg --case BE-2026-0142 --json',
    )
    .action(async function (this: Command, files: string[], options: { case: string }) {
      const raws = rawArgs();
      const paths = files.map((file) => rawArg(file, raws));
      const { displayName } = await import('../../core/import/import-file.js');
      const { importFiles } = await import('../../core/import/import-files.js');
      await withStore(this, 'write', async (store, out, committed) => {
        store.requireInvestigator();
        let settled = 0;
        const showProgress = (bytes: number, totalBytes: number) =>
          out.progress({
            done: bytes,
            total: totalBytes,
            label: `importing ${Math.min(settled + 1, paths.length)}/${paths.length} ${displayName(paths[Math.min(settled, paths.length - 1)]!)} ${formatBytes(bytes)} of ${formatBytes(totalBytes)}`,
          });
        // A bad file among the arguments is usage: the whole import is refused (exit 2) before
        // anything is written. A file that fails later is reported and the others still go in.
        const outcome = await importFiles(store, options.case, paths, {
          malformed: 'refuse',
          // The command does nothing else meanwhile: small files are read without the thread pool.
          blockingReads: true,
          onBytes: showProgress,
          onItem: (item, index) => {
            committed([item.id]);
            settled = index + 1;
            out.progressDone();
            if (!out.json) {
              out.message(
                `imported ${displayName(paths[index]!)} → item ${item.id} sha256 ${item.artifacts[0]?.sha256}`,
              );
            }
          },
        });
        out.progressDone();
        for (const failure of outcome.failures) out.message(`custos: ${failure.error.message}`);
        if (out.json && outcome.failures.length > 0) {
          out.result({
            items: outcome.items.map(itemJson),
            failed: outcome.failures.map((f) => ({ file: f.subject, error: f.error.message })),
          });
        } else printItems(out, outcome.items);
        if (outcome.failures.length > 0) {
          throw operationFailure(
            `${outcome.failures.length} of ${paths.length} file(s) could not be imported; nothing was stored for ${outcome.failures.length === 1 ? 'it' : 'them'}`,
          );
        }
      });
    });
}
