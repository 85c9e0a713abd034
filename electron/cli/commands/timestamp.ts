import fs from 'node:fs';
import type { Command } from 'commander';
import { badInput, operationFailure } from '../../core/errors.js';
import type { EvidenceStore } from '../../core/store/evidence-store.js';
import type { StampResult } from '../../core/timestamp/stamp-queue.js';
import { NO_AUTHORITY, withStore } from '../context.js';
import { type Output, table } from '../output.js';

// The RFC 3161 modules load pkijs (half a megabyte of JavaScript): they are imported when a command
// needs them, so that every other `custos` command starts without them.
const loadQueue = () => import('../../core/timestamp/stamp-queue.js');
const loadSettings = () => import('../../core/timestamp/timestamp-settings.js');

interface TimestampOptions {
  readonly tsa?: string[];
  readonly setTsa?: string[];
  readonly clearTsa?: boolean;
  readonly addRoot?: string[];
  readonly show?: boolean;
  readonly timeout?: string;
}

const HOW_TO_CONFIGURE =
  'give one with --tsa URL, or save a list for this store with `custos timestamp --set-tsa URL…` (see docs/TIMESTAMPS.md)';

/** `custos timestamp [--tsa URL…]`, and its per-store settings. */
export function registerTimestamp(program: Command): void {
  program
    .command('timestamp')
    .description(
      'ask RFC 3161 time-stamping authorities for tokens on pending items and the ledger head; exit 3 when requests stay pending',
    )
    .option('--tsa <url...>', "authorities to ask in this run, in order (instead of the store's list)")
    .option('--timeout <seconds>', 'give up on an authority after this many seconds (default 15)')
    .option('--set-tsa <url...>', "save this store's authorities, in order (nothing is requested)")
    .option('--clear-tsa', "forget this store's authorities: new items then wait as pending")
    .option(
      '--add-root <file...>',
      'trust the root certificates in these PEM files, besides the system roots',
    )
    .option('--show', 'show the authorities, the added roots and what is pending, without asking anything')
    .addHelpText(
      'after',
      `
Items are stamped when captured, imported or re-captured by a watch (by the command or the app) if
the store has authorities and one answers; otherwise they wait as pending requests, with the ledger
head, until this command gets an answer. Nothing is lost while no authority can be reached: the
command exits 3 and the requests stay queued.

Examples:
  custos timestamp --set-tsa http://tsa.example/tsr --add-root tsa-root.pem
  custos timestamp
  custos timestamp --tsa http://tsa.example/tsr --json
  custos timestamp --show`,
    )
    .action(async function (this: Command, options: TimestampOptions) {
      const configuring = Boolean(options.setTsa || options.clearTsa || options.addRoot);
      if (configuring && options.tsa) {
        throw badInput('--tsa names authorities for one run; to save them use --set-tsa alone');
      }
      if (options.setTsa && options.clearTsa)
        throw badInput('give either --set-tsa or --clear-tsa, not both');
      const settings = await loadSettings();
      if (options.show) return withStore(this, 'read', (store, out) => showSettings(store, out, settings));
      if (configuring)
        return withStore(this, 'write', (store, out) => configure(store, out, options, settings));
      const timeoutMs = parseTimeout(options.timeout);
      const runAuthorities = options.tsa ? settings.parseAuthorityUrls(options.tsa) : undefined;
      const { requestPending } = await loadQueue();
      return withStore(this, 'write', async (store, out) => {
        const authorities = runAuthorities ?? settings.configuredAuthorities(store.db);
        if (authorities.length === 0) throw badInput(`${NO_AUTHORITY}; ${HOW_TO_CONFIGURE}`);
        const results = await requestPending(store, {
          authorities,
          timeoutMs,
          onResult: (result) => out.line(describeResult(result)),
        });
        reportRun(out, authorities, results);
      });
    });
}

function parseTimeout(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 600) {
    throw badInput(`--timeout ${text}: give a number of seconds between 0 and 600`);
  }
  return seconds * 1000;
}

/** One line per request settled: `granted <subject> <time> <authority>` or `pending <subject> <why>`. */
function describeResult(result: StampResult): string {
  if (result.status === 'granted') return `granted  ${result.covers}  ${result.genTime}  ${result.tsa}`;
  return `pending  ${result.covers}  ${result.failures.map((f) => f.message).join('; ') || NO_AUTHORITY}`;
}

function reportRun(out: Output, authorities: readonly string[], results: readonly StampResult[]): void {
  const granted = results.filter((r) => r.status === 'granted');
  const pending = results.filter((r) => r.status === 'pending');
  if (out.json) out.result({ authorities, granted, pending });
  else if (results.length === 0)
    out.line('Nothing to timestamp: every item and the ledger head already have a token.');
  else out.line(`${granted.length} granted, ${pending.length} still pending.`);
  if (pending.length > 0) {
    const reasons = [...new Set(pending.flatMap((r) => r.failures.map((f) => f.message)))];
    throw operationFailure(
      `${pending.length} request(s) still pending (${reasons.join('; ')}); they stay queued: run \`custos timestamp\` again when an authority can be reached`,
    );
  }
}

type Settings = Awaited<ReturnType<typeof loadSettings>>;

async function configure(
  store: EvidenceStore,
  out: Output,
  options: TimestampOptions,
  settings: Settings,
): Promise<void> {
  // Every input is read and checked before anything is saved.
  const urls = options.setTsa ? settings.parseAuthorityUrls(options.setTsa) : undefined;
  const pems = (options.addRoot ?? []).map((file) => ({ file, text: readPemFile(file) }));
  store.requireInvestigator();
  for (const { file, text } of pems) {
    const added = settings.addTrustedRoots(store, text, file);
    if (!out.json) {
      for (const root of added) out.message(`trusted root added: ${root.subject} (SHA-256 ${root.sha256})`);
      if (added.length === 0) out.message(`${file}: already trusted, nothing added`);
    }
  }
  if (urls || options.clearTsa) settings.setAuthorities(store, urls ?? []);
  await showSettings(store, out, settings);
}

function readPemFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw badInput(
      `${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? error}); nothing was changed`,
    );
  }
}

async function showSettings(store: EvidenceStore, out: Output, settings: Settings): Promise<void> {
  const { countTokens, listPending } = await import('../../core/timestamp/token-queries.js');
  const authorities = settings.configuredAuthorities(store.db);
  const trustedRoots = settings.listTrustedRoots(store.db);
  const pending = listPending(store.db).map(
    ({ covers, imprint, requestedAt, attempts, lastAttemptAt, lastError }) => ({
      covers,
      imprint,
      requestedAt,
      attempts,
      lastAttemptAt,
      lastError,
    }),
  );
  const counts = countTokens(store.db);
  if (out.json) {
    out.result({ authorities, trustedRoots, pending, granted: counts.granted });
    return;
  }
  out.line(
    authorities.length
      ? `Authorities, in order:\n${authorities.map((url) => `  ${url}`).join('\n')}`
      : `No authority configured: ${HOW_TO_CONFIGURE}.`,
  );
  out.line(
    trustedRoots.length
      ? `Roots trusted besides the system's:\n${trustedRoots.map((r) => `  ${r.subject}  SHA-256 ${r.sha256}`).join('\n')}`
      : 'Roots trusted: the system roots only.',
  );
  out.line(`${counts.granted} token(s) granted, ${counts.pending} request(s) pending.`);
  if (pending.length > 0) {
    out.line(
      table([
        ['PENDING', 'QUEUED (UTC)', 'TRIES', 'LAST ERROR'],
        ...pending.map((p) => [p.covers, p.requestedAt, String(p.attempts), p.lastError ?? '']),
      ]),
    );
  }
}
