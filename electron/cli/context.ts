import type { Command } from 'commander';
import { type AfterCommitReport, afterCommit } from '../core/after-commit.js';
import type { EvidenceStore, WriterOpenOptions } from '../core/store/evidence-store.js';
import { interruptedRestoreNote } from '../core/store/interrupted-restore-note.js';
import type { SettledRestore } from '../core/store/restore-pending.js';
import { resolveStoreDir } from '../core/store/store-layout.js';
import type { StampResult } from '../core/timestamp/stamp-queue.js';
import { type GlobalOptions, Output } from './output.js';

/** The global options as seen from any subcommand. */
export function globalOptions(command: Command): GlobalOptions {
  return command.optsWithGlobals<GlobalOptions>();
}

/** The output of a command, machine-readable with --json. */
export function outputFor(command: Command): Output {
  return new Output(Boolean(globalOptions(command).json));
}

/** The store folder for a command (`--store`, else CUSTOS_STORE, else the app's own). */
export function storeDirFor(command: Command): string {
  return resolveStoreDir(globalOptions(command).store);
}

/**
 * Says on stderr, before it starts, that the store's database is being upgraded: in a large store
 * a migration that builds derived tables runs for a while, and the command would otherwise seem to
 * hang with no word.
 */
function sayUpgrade(out: Output): (fromVersion: number, toVersion: number) => void {
  return (from, to) =>
    out.message(
      `note: upgrading this store's database from schema version ${from} to ${to}; in a large store this takes a while (about 20 s for 100,000 items). Let it finish: stopped, it leaves the store as it was`,
    );
}

/** Says on stderr what became of a `custos restore` that was killed before it was recorded. */
export function sayInterruptedRestore(out: Output): (settled: SettledRestore) => void {
  return (settled) => out.message(`note: ${interruptedRestoreNote(settled)}`);
}

/**
 * Says on stderr why a reader waits before it reads (or, `before`, the audit before its report or
 * before its open of the restored store it audits once more): a restore's marker is there and
 * another process holds the writer lock, so that process is finishing or undoing the restore now.
 * Said once per command for each `before`: a reader may wait twice for one open (again after it,
 * when a restore moved the store meanwhile: `openWhenSettled`); a distinct wait has its own words.
 */
export function sayWaitingForSettle(out: Output, before = 'reading'): (holder: string | null) => void {
  return (holder) =>
    out.messageOnce(
      `waiting for a settle before ${before}`,
      `note: a \`custos restore\` is not recorded yet (restore-pending.json is there), and another Custos process${holder ? ` (${holder})` : ''} holds the store's writer lock: waiting a few seconds for it to finish or undo that restore before ${before}`,
    );
}

/** What a writer's open tells the command's user on stderr: an upgrade starting, an interrupted restore settled. */
export function writerNotes(out: Output): Pick<WriterOpenOptions, 'onUpgrade' | 'onInterruptedRestore'> {
  return { onUpgrade: sayUpgrade(out), onInterruptedRestore: sayInterruptedRestore(out) };
}

/**
 * Tells the work after a writing command which items it committed: for their trusted timestamps
 * and the selectors check, or (`stamp: false`, items received with the sender's own timestamps)
 * for the selectors check alone.
 */
export type Committed = (itemIds: readonly string[], options?: { readonly stamp?: boolean }) => void;

/**
 * Runs a command's work on the store, opened for reading (no lock) or writing (the writer lock),
 * and closes it afterwards whatever happens. After a writing command (even one that failed part
 * way, since what it committed stays) comes the core's `afterCommit`: the items the work reported
 * through `committed` are stamped when the store has authorities, and what is not indexed yet is
 * indexed (one bounded pass; text in pictures only when the command stored items). Neither ever fails the command; what is left is said on stderr.
 */
export async function withStore<T>(
  command: Command,
  mode: 'read' | 'write',
  work: (store: EvidenceStore, out: Output, committed: Committed) => Promise<T> | T,
): Promise<T> {
  const dir = storeDirFor(command);
  const { EvidenceStore } = await import('../core/store/evidence-store.js');
  const out = outputFor(command);
  const store =
    mode === 'write'
      ? await EvidenceStore.openForWritingWhenFree(dir, writerNotes(out))
      : await EvidenceStore.openForReadingWhenSettled(dir, { onWait: sayWaitingForSettle(out) });
  const itemIds: string[] = [];
  const unstamped: string[] = [];
  try {
    return await work(store, out, (ids, options) =>
      (options?.stamp === false ? unstamped : itemIds).push(...ids),
    );
  } finally {
    out.progressDone(); // an error that ends the work is printed on a line of its own
    try {
      if (mode === 'write') {
        const checked = [...itemIds, ...unstamped];
        // Text in pictures is read after a command that stored items, never after an export or a note.
        const after = afterCommit(store, itemIds, { background: checked.length > 0 });
        reportAfterCommit(out, await after.settled);
        if (checked.length > 0) await reportSelectorHits(store, out, checked);
      }
    } finally {
      store.close();
    }
  }
}

/** Says on stderr which selectors the new items hold (once they are indexed: text in pictures too). */
async function reportSelectorHits(
  store: EvidenceStore,
  out: Output,
  itemIds: readonly string[],
): Promise<void> {
  try {
    const { selectorHits } = await import('../core/selectors/selector-hits.js');
    const { describeHit } = await import('./commands/selector.js');
    for (const hit of selectorHits(store.db, { itemIds })) out.message(`selector hit: ${describeHit(hit)}`);
  } catch (error) {
    // The evidence is stored; `custos selector hits` reads the hits again at any time.
    out.message(
      `note: selectors could not be checked (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}

/** Said of a request left pending because no authority is configured. */
export const NO_AUTHORITY = 'no time-stamping authority is configured';

/** Says on stderr what became of the new items' timestamps and of indexing (nothing in --json). */
function reportAfterCommit(out: Output, report: AfterCommitReport): void {
  const { stamps, index } = report;
  if (!out.json) {
    for (const result of stamps.filter((r) => r.status === 'granted')) out.message(describeStamp(result));
    const pending = stamps.filter((r) => r.status === 'pending');
    if (pending.length > 0) out.message(describePending(pending));
  }
  if (index.error !== null) {
    out.message(
      `note: indexing failed (${index.error}); evidence is unaffected, \`custos reindex\` rebuilds the index`,
    );
    return;
  }
  if (index.failed > 0) {
    out.message(`note: ${index.failed} item(s) could not be indexed; \`custos reindex\` retries them`);
  }
  if (index.remaining > 0) {
    out.message(`note: ${index.remaining} item(s) are not indexed yet; run \`custos reindex --missing\``);
  }
}

/** One line for a new item's timestamp: granted by whom and when, or why it waits. */
export function describeStamp(result: StampResult): string {
  return result.status === 'granted'
    ? `timestamped item ${result.covers}: ${result.genTime} by ${result.tsa}`
    : describePending([result]);
}

function describePending(pending: readonly StampResult[]): string {
  const reasons = [...new Set(pending.flatMap((r) => r.failures.map((f) => f.message)))].join('; ');
  return `${pending.length} item(s) wait for a trusted timestamp (${reasons || NO_AUTHORITY}); \`custos timestamp\` requests it when an authority can be reached`;
}
