import type { Command } from 'commander';
import { withStore } from '../context.js';
import { table } from '../output.js';

/** `custos log [--case CASE]` */
export function registerLog(program: Command): void {
  program
    .command('log')
    .description('print the custody ledger (all of it, or one case)')
    .option('--case <case>', 'case id or number')
    .addHelpText('after', '\nExamples:\n  custos log\n  custos log --case BE-2026-0142 --json')
    .action(async function (this: Command, options: { case?: string }) {
      await withStore(this, 'read', (store, out) => {
        const entries = store.ledger(options.case);
        if (out.json) return out.result({ entries });
        if (entries.length === 0) return out.line('The ledger is empty.');
        out.line(
          table([
            ['SEQ', 'TIME (UTC)', 'ACTION', 'SUBJECT', 'HASH'],
            ...entries.map((e) => [String(e.seq), e.time, e.action, e.subject, `${e.hash.slice(0, 16)}…`]),
          ]),
        );
      });
    });
}
