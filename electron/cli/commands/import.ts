import type { Command } from 'commander';
import { checkImportable, displayName } from '../../core/import/import-file.js';
import { importFiles } from '../../core/import/import-files.js';
import { withStore } from '../context.js';
import { formatBytes } from '../output.js';
import { rawArg, rawArgs } from '../raw-argv.js';
import { printItems } from './items.js';
import { stampCommittedItems } from './timestamp.js';

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
      await withStore(this, 'write', async (store, out) => {
        store.requireInvestigator();
        store.getCase(options.case);
        let totalBytes = 0;
        for (const file of paths) totalBytes += (await checkImportable(file)).size;
        let committed = 0;
        const showProgress = (bytes: number) =>
          out.progress({
            done: bytes,
            total: totalBytes,
            label: `importing ${Math.min(committed + 1, paths.length)}/${paths.length} ${displayName(paths[Math.min(committed, paths.length - 1)]!)} ${formatBytes(bytes)} of ${formatBytes(totalBytes)}`,
          });
        const items = await importFiles(store, options.case, paths, {
          onBytes: showProgress,
          onItem: (item, index) => {
            committed = index + 1;
            out.progressDone();
            if (!out.json) {
              out.message(
                `imported ${displayName(paths[index]!)} → item ${item.id} sha256 ${item.artifacts[0]?.sha256}`,
              );
            }
          },
        });
        out.progressDone();
        await stampCommittedItems(
          store,
          out,
          items.map((item) => item.id),
        );
        printItems(out, items);
      });
    });
}
