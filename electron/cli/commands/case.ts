import type { Command } from 'commander';
import type { Case } from '../../../shared/domain.js';
import { withStore } from '../context.js';
import { table } from '../output.js';

/** `custos case create|list|show` */
export function registerCase(program: Command): void {
  const caseCommand = program
    .command('case')
    .description('create, list and show cases')
    .addHelpText(
      'after',
      '\nExamples:\n  custos case create --number BE-2026-0142 --title "Boat crossings advertised on Facebook"\n  custos case list\n  custos case show BE-2026-0142',
    );

  caseCommand
    .command('create')
    .description('create a case; --json prints {"id": …}')
    .requiredOption('--number <ref>', 'the case reference, unique in this store (e.g. BE-2026-0142)')
    .requiredOption('--title <title>', 'a short title')
    .option('--description <text>', 'a longer description')
    .addHelpText(
      'after',
      '\nExample:\n  custos case create --number BE-2026-0142 --title "Boat crossings advertised on Facebook"',
    )
    .action(async function (this: Command, options: { number: string; title: string; description?: string }) {
      await withStore(this, 'write', (store, out) => {
        const created = store.createCase({
          number: options.number,
          title: options.title,
          description: options.description ?? null,
        });
        if (out.json) out.result(created);
        else out.line(`Created case ${created.number} "${created.title}" (id ${created.id})`);
      });
    });

  caseCommand
    .command('list')
    .description('list cases, newest first')
    .addHelpText('after', '\nExample:\n  custos case list --json')
    .action(async function (this: Command) {
      await withStore(this, 'read', (store, out) => {
        const cases = store.listCases().map((c) => ({ ...c, itemCount: store.countItems(c.id) }));
        if (out.json) return out.result({ cases });
        if (cases.length === 0)
          return out.line('No cases yet; `custos case create --number REF --title T` creates one.');
        out.line(
          table([
            ['NUMBER', 'ITEMS', 'CREATED', 'TITLE'],
            ...cases.map((c) => [c.number, String(c.itemCount), c.createdAt, c.title]),
          ]),
        );
      });
    });

  caseCommand
    .command('show')
    .description('show a case, named by its id or its number')
    .argument('<case>', 'case id or number')
    .addHelpText('after', '\nExample:\n  custos case show BE-2026-0142')
    .action(async function (this: Command, ref: string) {
      await withStore(this, 'read', (store, out) => {
        const found: Case = store.getCase(ref);
        const itemCount = store.countItems(found.id);
        if (out.json) return out.result({ ...found, itemCount });
        out.line(`Case ${found.number}: ${found.title}`);
        if (found.description) out.line(found.description);
        out.line(`id       ${found.id}`);
        out.line(`created  ${found.createdAt}`);
        out.line(`items    ${itemCount}`);
      });
    });
}
