import type { Command } from 'commander';
import { EvidenceStore } from '../core/store/evidence-store.js';
import { resolveStoreDir } from '../core/store/store-layout.js';
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

/** Items a writing command derives after its own work; more wait for `custos reindex --missing`. */
const DERIVE_AFTER_WRITE_LIMIT = 1000;

/**
 * Runs a command's work on the store, opened for reading (no lock) or writing (the writer lock),
 * and closes it afterwards whatever happens. After a writing command (even one that failed part
 * way, since what it committed stays), the items it added are indexed: search, entities and image
 * hashes are derived data, and deriving them never fails the command.
 */
export async function withStore<T>(
  command: Command,
  mode: 'read' | 'write',
  work: (store: EvidenceStore, out: Output) => Promise<T> | T,
): Promise<T> {
  const dir = storeDirFor(command);
  const store = mode === 'write' ? EvidenceStore.openForWriting(dir) : EvidenceStore.openForReading(dir);
  const out = outputFor(command);
  try {
    return await work(store, out);
  } finally {
    try {
      if (mode === 'write') await deriveAfterWrite(store, out);
    } finally {
      store.close();
    }
  }
}

async function deriveAfterWrite(store: EvidenceStore, out: Output): Promise<void> {
  if (!store.investigator) return; // nothing can be stored before init
  try {
    // Loaded only by writing commands: the derivers pull in their libraries.
    const { deriveMissing } = await import('../core/derive/derive-items.js');
    const outcome = await deriveMissing(store, { limit: DERIVE_AFTER_WRITE_LIMIT });
    if (outcome.failed > 0) {
      out.message(`note: ${outcome.failed} item(s) could not be indexed; \`custos reindex\` retries them`);
    }
    if (outcome.remaining > 0) {
      out.message(`note: ${outcome.remaining} item(s) are not indexed yet; run \`custos reindex --missing\``);
    }
  } catch (error) {
    out.message(
      `note: indexing failed (${error instanceof Error ? error.message : String(error)}); evidence is unaffected, \`custos reindex\` rebuilds the index`,
    );
  }
}
