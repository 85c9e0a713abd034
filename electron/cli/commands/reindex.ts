import type { Command } from 'commander';
import { withStore } from '../context.js';

/** `custos reindex [--missing]` */
export function registerReindex(program: Command): void {
  program
    .command('reindex')
    .description(
      'rebuild the derived data (search index, entities, image hashes) from the originals; evidence is never changed',
    )
    .option('--missing', 'only derive what is missing or out of date, keep the rest')
    .addHelpText('after', '\nExamples:\n  custos reindex\n  custos reindex --missing --json')
    .action(async function (this: Command, options: { missing?: boolean }) {
      await withStore(this, 'write', async (store, out) => {
        const { deriveMissing, rebuildDerived } = await import('../../core/derive/derive-items.js');
        const { derivationErrors } = await import('../../core/derive/derived-state-queries.js');
        const run = options.missing ? deriveMissing : rebuildDerived;
        const outcome = await run(store, { onProgress: (p) => out.progress(p) });
        out.progressDone();
        const errors = derivationErrors(store.db);
        if (out.json) return out.result({ ...outcome, errors });
        for (const e of errors) out.line(`could not derive ${e.deriver} of item ${e.itemId}: ${e.error}`);
        out.line(
          `Indexed: ${outcome.derived} derivation(s) done, ${outcome.failed} failed. Evidence unchanged.`,
        );
      });
    });
}
