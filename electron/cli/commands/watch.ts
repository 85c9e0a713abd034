import type { Command } from 'commander';
import type { WatchView } from '../../../shared/watch.js';
import { parseCaptureUrl } from '../../core/capture/capture-url.js';
import { operationFailure } from '../../core/errors.js';
import { DEFAULT_INTERVAL_SECONDS, formatInterval, parseInterval } from '../../core/watch/interval.js';
import { describeStamp, withStore } from '../context.js';
import { type Output, table } from '../output.js';

/** `custos watch add|list|remove|run` */
export function registerWatch(program: Command): void {
  const watch = program
    .command('watch')
    .description('re-capture watched URLs and record when their content changes or disappears')
    .addHelpText(
      'after',
      `
A watched URL is captured again at each interval; each capture is an item, compared with the last
capture where the content was there: unchanged, changed, removed (404/410, a login wall, a
platform's removal notice) or unreachable (a network error, which is not a removal). docs/WATCH.md.

Examples:
  custos watch add https://social.example/post/8812 --case BE-2026-0142 --every 6h
  custos watch run            # from cron: checks what is due
  custos watch list --json`,
    );

  watch
    .command('add')
    .description('watch a URL for a case (a custody entry); the first run captures it')
    .argument('<url>', 'http:// or https:// address')
    .requiredOption('--case <case>', 'case id or number')
    .option(
      '--every <interval>',
      'how often: a number and m, h, d or w (5m to 366d)',
      formatInterval(DEFAULT_INTERVAL_SECONDS),
    )
    .addHelpText(
      'after',
      '\nExample:\n  custos watch add https://social.example/post/8812 --case BE-2026-0142 --every 1d',
    )
    .action(async function (this: Command, input: string, options: { case: string; every: string }) {
      const url = parseCaptureUrl(input);
      const intervalSeconds = parseInterval(options.every);
      const { addWatch } = await import('../../core/watch/watch-service.js');
      await withStore(this, 'write', (store, out) => {
        const added = addWatch(store, { url: url.href, caseRef: options.case, intervalSeconds });
        if (out.json) return out.result(added);
        out.line(
          `Watching ${added.url} for case ${added.caseNumber} every ${formatInterval(added.intervalSeconds)} (id ${added.id}); \`custos watch run\` captures it when due`,
        );
      });
    });

  watch
    .command('list')
    .description(
      'watched URLs with their current state and state history; --json gives the items proving each state',
    )
    .option('--case <case>', 'only the watches of this case')
    .option('--removed', 'include removed watches (their history is kept)')
    .addHelpText('after', '\nExamples:\n  custos watch list\n  custos watch list --case BE-2026-0142 --json')
    .action(async function (this: Command, options: { case?: string; removed?: boolean }) {
      const { listWatchViews } = await import('../../core/watch/watch-service.js');
      await withStore(this, 'read', (store, out) => {
        const caseId = options.case === undefined ? undefined : store.getCase(options.case).id;
        const watches = listWatchViews(store.db, {
          ...(caseId === undefined ? {} : { caseId }),
          includeRemoved: Boolean(options.removed),
        });
        if (out.json) return out.result({ watches });
        printWatches(out, watches);
      });
    });

  watch
    .command('remove')
    .description('stop watching a URL (a custody entry); its history and items stay')
    .argument('<watch>', 'the watch id or its URL')
    .option('--case <case>', 'the case, when several cases watch the URL')
    .addHelpText(
      'after',
      '\nExample:\n  custos watch remove https://social.example/post/8812 --case BE-2026-0142',
    )
    .action(async function (this: Command, ref: string, options: { case?: string }) {
      const { removeWatch } = await import('../../core/watch/watch-service.js');
      await withStore(this, 'write', (store, out) => {
        const removed = removeWatch(store, ref, options.case);
        if (out.json) return out.result(removed);
        out.line(
          `Stopped watching ${removed.url} (case ${removed.caseNumber}); its ${removed.history.length} check(s) are kept`,
        );
      });
    });

  watch
    .command('run')
    .description('capture every watched URL that is due and record its state (for cron)')
    .argument('[url]', 'check the watches of this URL now, due or not')
    .option('--all', 'check every active watch now, due or not')
    .addHelpText(
      'after',
      `
Exit status: 0 when every check ran (an unreachable site is a result, not a failure); 3 when a
capture failed for another reason (the check is recorded as failed).

Examples:
  custos watch run
  custos watch run --all --json
  # crontab: every 15 minutes, check what is due
  */15 * * * * custos --store /srv/custos watch run >> /var/log/custos-watch.log 2>&1`,
    )
    .action(async function (this: Command, url: string | undefined, options: { all?: boolean }) {
      if (url !== undefined) parseCaptureUrl(url);
      const { runWatches } = await import('../../core/watch/watch-runner.js');
      await withStore(this, 'write', async (store, out, committed) => {
        const checks = await runWatches(store, {
          ...(options.all ? { force: 'all' as const } : url ? { force: { url } } : {}),
          onCheck: (w, c) => {
            if (!out.json) out.message(`${c.state.padEnd(11)} ${w.url}  ${c.reasons.join('; ')}`);
          },
        });
        // The runner stamped and indexed each new item (core afterCommit); here it is only told,
        // and the new captures are checked against the selectors.
        if (!out.json) for (const c of checks) if (c.timestamp) out.message(describeStamp(c.timestamp));
        committed(
          checks.flatMap((c) => (c.check.itemId ? [c.check.itemId] : [])),
          { stamp: false },
        );
        if (out.json) {
          out.result({
            checks: checks.map((c) => ({
              watchId: c.watch.id,
              url: c.watch.url,
              caseNumber: c.watch.caseNumber,
              previousState: c.previousState,
              ...c.check,
              timestamp: c.timestamp?.status ?? null,
            })),
          });
        } else if (checks.length === 0)
          out.line('Nothing is due; `custos watch run --all` checks every watch now.');
        else out.line(`${checks.length} watch(es) checked`);
        const failed = checks.filter((c) => c.check.state === 'failed');
        if (failed.length > 0) {
          throw operationFailure(
            `${failed.length} of ${checks.length} capture(s) failed (not a network error); each is recorded as a failed check: ${failed.map((c) => c.check.error).join('; ')}`,
          );
        }
      });
    });
}

function printWatches(out: Output, watches: readonly WatchView[]): void {
  if (watches.length === 0) {
    out.line('Nothing is watched; `custos watch add URL --case CASE` adds a watch.');
    return;
  }
  for (const w of watches) {
    out.line(
      `${w.url}  case ${w.caseNumber}  every ${formatInterval(w.intervalSeconds)}  ${w.state ?? 'not checked yet'}${w.removedAt ? `  (removed ${w.removedAt})` : `  next ${w.nextDueAt}`}  id ${w.id}`,
    );
    if (w.history.length > 0) {
      out.line(
        table(
          w.history.map((c) => [
            '  ',
            c.checkedAt,
            c.state,
            c.itemId ?? '-',
            c.error ?? c.reasons.join('; '),
          ]),
        ),
      );
    }
  }
}
