import type { Command } from 'commander';
import { badInput } from '../../core/errors.js';
import { type CaseRetention, RETENTION_MODES, type RetentionMode } from '../../core/remote/remote-queries.js';
import { withStore } from '../context.js';
import { formatBytes } from '../output.js';

interface PushFlags {
  case: string;
  remote?: string;
  retentionDays?: string;
  retentionMode?: string;
  legalHold?: boolean;
}

/** `custos push --case CASE [--remote NAME] [--retention-days N [--retention-mode M] [--legal-hold]]` */
export function registerPush(program: Command): void {
  program
    .command('push')
    .description(
      "upload what a remote lacks of this workstation's part of a case (blobs, signed custody segment)",
    )
    .requiredOption('--case <case>', 'case id or number')
    .option('--remote <name>', 'the remote (default: the only one configured)')
    .option(
      '--retention-days <n>',
      "Object Lock retention of the case's objects, in days (kept for later pushes)",
    )
    .option('--retention-mode <mode>', 'compliance (nobody can shorten it) or governance', 'compliance')
    .option('--legal-hold', "also put the case's new objects under legal hold")
    .addHelpText(
      'after',
      `
Only what the remote lacks is sent; a push that was interrupted (even killed) is resumed by
pushing again, and pushing an unchanged case again writes nothing. Each object gets the case's
retention where the bucket has Object Lock. A custody entry records what was sent.

Examples:
  custos push --case BE-2026-0142
  custos push --case BE-2026-0142 --remote agency --retention-days 3650 --legal-hold`,
    )
    .action(async function (this: Command, options: PushFlags) {
      const retention = retentionOf(options);
      // Loaded when run, not when the command line is read: the S3 client alone takes ~0.3 s.
      const { pushCase } = await import('../../core/remote/push-case.js');
      await withStore(this, 'write', async (store, out) => {
        const result = await pushCase(store, {
          caseRef: options.case,
          remoteName: options.remote,
          retention,
          onProgress: (done, total) => out.progress({ done, total, label: `uploading ${formatBytes(done)}` }),
        });
        out.progressDone();
        if (out.json)
          return out.result({
            ...result,
            ledgerSeq: result.ledgerEntry?.seq ?? null,
            ledgerEntry: undefined,
          });
        if (!result.changed) {
          out.line(
            `Remote ${result.remote} already holds case ${result.case.number} as this workstation has it; nothing sent.`,
          );
          return;
        }
        out.line(
          `Pushed case ${result.case.number} to ${result.remote}: ${result.items} item(s) of this workstation, ${result.blobsUploaded} blob(s) sent (${formatBytes(result.bytesUploaded)}), ${result.blobsPresent} already there`,
        );
        out.line(`Segment: ${result.segment}`);
        if (result.retention)
          out.line(
            `Object Lock: ${result.retention.mode.toLowerCase()} for ${result.retention.days} day(s)${result.retention.legalHold ? ', legal hold' : ''}`,
          );
        else if (!result.objectLock)
          out.line('The bucket has no Object Lock: the objects can be deleted by whoever holds its keys.');
        out.line(`Recorded as custody entry #${result.ledgerEntry?.seq}`);
      });
    });
}

/** The retention the flags ask for; bad input (exit 2) before anything is sent. */
function retentionOf(options: PushFlags): CaseRetention | undefined {
  if (options.retentionDays === undefined) {
    if (options.legalHold)
      throw badInput('--legal-hold needs --retention-days N (the retention it comes with)');
    return undefined;
  }
  const days = Number(options.retentionDays);
  if (!Number.isSafeInteger(days) || days < 1)
    throw badInput(`--retention-days ${options.retentionDays} is not a whole number of days (1 or more)`);
  const mode = (options.retentionMode ?? 'compliance').toUpperCase();
  if (!RETENTION_MODES.includes(mode as RetentionMode))
    throw badInput(`--retention-mode ${options.retentionMode} is neither compliance nor governance`);
  return { mode: mode as RetentionMode, days, legalHold: options.legalHold === true };
}
