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

/**
 * Runs a command's work on the store, opened for reading (no lock) or writing (the writer lock),
 * and closes it afterwards whatever happens.
 */
export async function withStore<T>(
  command: Command,
  mode: 'read' | 'write',
  work: (store: EvidenceStore, out: Output) => Promise<T> | T,
): Promise<T> {
  const dir = storeDirFor(command);
  const store = mode === 'write' ? EvidenceStore.openForWriting(dir) : EvidenceStore.openForReading(dir);
  try {
    return await work(store, outputFor(command));
  } finally {
    store.close();
  }
}
