import type { Command } from 'commander';
import type { ItemSummary } from '../../../shared/domain.js';
import { checkImportable, displayName, importFile } from '../../core/import/import-file.js';
import { withStore } from '../context.js';
import { formatBytes } from '../output.js';
import { rawArg, rawArgs } from '../raw-argv.js';
import { printItems } from './items.js';

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
        for (const file of paths) await checkImportable(file);
        const items: ItemSummary[] = [];
        for (const [index, file] of paths.entries()) {
          const label = `importing ${index + 1}/${paths.length} ${displayName(file)}`;
          const item = await importFile(store, options.case, file, (bytes) =>
            out.progress({ done: bytes, total: 0, label: `${label} ${formatBytes(bytes)}` }),
          );
          out.progressDone();
          items.push(item);
          if (!out.json)
            out.message(
              `imported ${displayName(file)} → item ${item.id} sha256 ${item.artifacts[0]?.sha256}`,
            );
        }
        printItems(out, items);
      });
    });
}
