import type { Command } from 'commander';
import type { LedgerEntry } from '../../../shared/domain.js';
import { withStore } from '../context.js';
import type { Output } from '../output.js';

function printEntry(out: Output, what: string, entry: LedgerEntry): void {
  if (out.json) out.result({ itemId: entry.subject, seq: entry.seq, hash: entry.hash, time: entry.time });
  else out.line(`${what} item ${entry.subject} (custody entry #${entry.seq})`);
}

/** `custos note ITEM TEXT` and `custos tag ITEM TAG [--remove]` */
export function registerAnnotate(program: Command): void {
  program
    .command('note')
    .description('add a note to an item; a custody entry, the original stays untouched')
    .argument('<item>', 'item id')
    .argument('<text>', 'the note')
    .addHelpText(
      'after',
      '\nExample:\n  custos note 3f2a9c1e "Same phone number as the Telegram ad of 12 May"',
    )
    .action(async function (this: Command, item: string, text: string) {
      await withStore(this, 'write', (store, out) => printEntry(out, 'Noted on', store.addNote(item, text)));
    });

  program
    .command('tag')
    .description('tag an item, or remove a tag (--remove); a custody entry, the original stays untouched')
    .argument('<item>', 'item id')
    .argument('<tag>', 'the tag')
    .option('--remove', 'remove the tag (the custody log keeps that it was given, and when it was removed)')
    .addHelpText(
      'after',
      '\nExamples:\n  custos tag 3f2a9c1e payment-details\n  custos tag 3f2a9c1e payment-details --remove',
    )
    .action(async function (this: Command, item: string, tag: string, options: { remove?: boolean }) {
      await withStore(this, 'write', (store, out) =>
        options.remove
          ? printEntry(out, `Removed tag ${tag} from`, store.removeTag(item, tag))
          : printEntry(out, 'Tagged', store.addTag(item, tag)),
      );
    });
}
