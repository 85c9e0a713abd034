import type { Command } from 'commander';
import { integrityFailure } from '../../core/errors.js';
import { withStore } from '../context.js';
import { formatBytes } from '../output.js';

/** `custos pull --case CASE [--remote NAME]` */
export function registerPull(program: Command): void {
  program
    .command('pull')
    .description(
      "take the other workstations' items of a case from a remote, each checked against its signed record",
    )
    .requiredOption('--case <case>', 'case id or number (a case this store does not hold yet: its id)')
    .option('--remote <name>', 'the remote (default: the only one configured)')
    .addHelpText(
      'after',
      `
Every object is checked against the signed manifest of the workstation that pushed it before
anything enters this store; one changed or missing object fails the pull (exit 1, naming it) and
nothing is imported. Each workstation's custody entries are kept as received, and a custody entry
names the remote and the key that signed what was pulled.

Examples:
  custos pull --case BE-2026-0142
  custos pull --case 0b6c1f0e-… --remote agency --json`,
    )
    .action(async function (this: Command, options: { case: string; remote?: string }) {
      // Loaded when run, not when the command line is read: the S3 client alone takes ~0.3 s.
      const { PullRejected, pullCase } = await import('../../core/remote/pull-case.js');
      await withStore(this, 'write', async (store, out, committed) => {
        let result: Awaited<ReturnType<typeof pullCase>>;
        try {
          result = await pullCase(store, {
            caseRef: options.case,
            remoteName: options.remote,
            onProgress: (done, total) =>
              out.progress({ done, total, label: `downloading ${formatBytes(done)}` }),
          });
        } catch (error) {
          if (!(error instanceof PullRejected)) throw error;
          if (out.json) out.result({ pulled: false, problems: error.problems });
          for (const problem of error.problems) out.message(`PROBLEM  ${problem.path}: ${problem.problem}`);
          throw integrityFailure(error.message);
        } finally {
          out.progressDone();
        }
        const imported = result.segments.flatMap((s) =>
          s.items.filter((i) => i.status === 'imported').map((i) => i.id),
        );
        committed(imported);
        if (out.json) return out.result({ pulled: true, ...result });
        if (result.segments.length === 0) {
          out.line(
            `Remote ${result.remote} holds nothing of case ${result.case.number} from another workstation.`,
          );
          return;
        }
        for (const s of result.segments) {
          const count = s.items.filter((i) => i.status === 'imported').length;
          out.line(
            s.new
              ? `${s.investigator} (key ${s.signer}): ${count} new item(s) of ${s.items.length}; custody entry #${s.ledgerSeq}`
              : `${s.investigator} (key ${s.signer}): pulled before (custody entry #${s.ledgerSeq}); nothing changed`,
          );
        }
        out.line(`Case ${result.case.number}: ${result.case.title}`);
      });
    });
}
