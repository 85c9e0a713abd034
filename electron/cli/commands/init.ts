import type { Command } from 'commander';
import { outputFor, storeDirFor, writerNotes } from '../context.js';

/** `custos init --investigator NAME [--agency A] [--badge B]` */
export function registerInit(program: Command): void {
  program
    .command('init')
    .description("create the store and this workstation's signing key (safe to repeat)")
    .requiredOption('--investigator <name>', 'your name, recorded on every custody entry')
    .option('--agency <agency>', 'your agency or unit')
    .option('--badge <badge>', 'your badge or staff number')
    .addHelpText(
      'after',
      '\nExamples:\n  custos init --investigator "Ana Ruiz" --agency "Policía Nacional" --badge 4411\n  custos --store /evidence/store init --investigator "Ana Ruiz"',
    )
    .action(async function (
      this: Command,
      options: { investigator: string; agency?: string; badge?: string },
    ) {
      const out = outputFor(this);
      const dir = storeDirFor(this);
      const { EvidenceStore } = await import('../../core/store/evidence-store.js');
      const store = await EvidenceStore.openForWritingWhenFree(dir, {
        create: true,
        ...writerNotes(out),
      });
      try {
        const { investigator, created } = store.init({
          name: options.investigator,
          agency: options.agency ?? null,
          badge: options.badge ?? null,
        });
        if (out.json) {
          out.result({
            store: store.layout.root,
            created,
            investigator: {
              id: investigator.id,
              name: investigator.name,
              agency: investigator.agency,
              badge: investigator.badge,
              keyFingerprint: investigator.keyFingerprint,
            },
          });
        } else {
          out.line(`${created ? 'Initialised' : 'Already initialised:'} store ${store.layout.root}`);
          out.line(
            `Investigator: ${investigator.name}${investigator.agency ? `, ${investigator.agency}` : ''}${investigator.badge ? `, badge ${investigator.badge}` : ''}`,
          );
          out.line(`Signing key fingerprint (SHA-256): ${investigator.keyFingerprint}`);
        }
      } finally {
        store.close();
      }
    });
}
