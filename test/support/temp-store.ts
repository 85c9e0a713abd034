import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BlobStore } from '../../electron/core/store/blob-store.js';
import { EvidenceStore } from '../../electron/core/store/evidence-store.js';
import { storeLayout } from '../../electron/core/store/store-layout.js';
import { suiteResource } from './suite-resource.js';

/** A fresh folder under the system temp folder. */
export function makeTempDir(prefix = 'custos-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Removes a temp folder, read-only blobs included. */
export function removeTempDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** The investigator `makeTempStore` initialises, unless told otherwise. */
export const TEST_INVESTIGATOR = { name: 'Ana Ruiz', agency: 'Test Unit', badge: '4411' } as const;

/** A store initialised in a temp folder, plus the folder that holds it (for fixtures beside it). */
export interface TempStore {
  /** The temp folder; remove it with `remove()`. */
  readonly base: string;
  /** The store folder, to pass as `--store` or to `EvidenceStore.open…`. */
  readonly dir: string;
  /** The case created when `caseNumber` was given. */
  readonly caseId: string | undefined;
  /** Opens the store for writing (takes the writer lock; close it when done). */
  open(): EvidenceStore;
  /** Opens the store for reading. */
  openForReading(): EvidenceStore;
  /** Where the blob with this SHA-256 lives in the store (whether or not it exists). */
  blobPath(sha256: string): string;
  /** Writes a file in the temp folder (outside the store) and returns its path. */
  writeFile(name: string, content: string | Uint8Array): string;
  /** Deletes the temp folder and everything in it. */
  remove(): void;
}

/** Options of `makeTempStore`. */
export interface TempStoreOptions {
  readonly investigator?: {
    readonly name: string;
    readonly agency?: string | null;
    readonly badge?: string | null;
  };
  /** Also creates a case with this number (title "Test case <number>"). */
  readonly caseNumber?: string;
}

/**
 * Initialises a store in a new temp folder, in this process (fast), and closes it so that child
 * processes can take the writer lock.
 */
export function makeTempStore(options: TempStoreOptions = {}): TempStore {
  const base = makeTempDir();
  const dir = path.join(base, 'store');
  const investigator = options.investigator ?? TEST_INVESTIGATOR;
  const store = EvidenceStore.openForWriting(dir, { create: true });
  let caseId: string | undefined;
  try {
    store.init({
      name: investigator.name,
      agency: investigator.agency ?? null,
      badge: investigator.badge ?? null,
    });
    if (options.caseNumber !== undefined) {
      caseId = store.createCase({ number: options.caseNumber, title: `Test case ${options.caseNumber}` }).id;
    }
  } finally {
    store.close();
  }
  return tempStoreAt(base, caseId);
}

/** Makes a temp store for a test file or `describe` (before its tests) and removes it after them. */
export function tempStoreForTests(options: TempStoreOptions = {}): () => TempStore {
  return suiteResource(
    'the temp store',
    () => makeTempStore(options),
    (temp) => temp.remove(),
  );
}

/**
 * A copy of a temp store's whole folder (the store and the files beside it, as they are now) in a
 * new temp folder: for suites that build one store and give each test its own copy to change.
 * The store must be closed (no writer holds it).
 */
export function copyTempStore(from: TempStore): TempStore {
  const base = makeTempDir();
  fs.cpSync(from.base, base, { recursive: true, preserveTimestamps: true });
  return tempStoreAt(base, from.caseId);
}

/** The `TempStore` of a store folder `store` in the temp folder `base`. */
function tempStoreAt(base: string, caseId: string | undefined): TempStore {
  const dir = path.join(base, 'store');
  return {
    base,
    dir,
    caseId,
    open: () => EvidenceStore.openForWriting(dir),
    openForReading: () => EvidenceStore.openForReading(dir),
    blobPath: (sha256) => {
      const layout = storeLayout(dir);
      return new BlobStore(layout.blobs, layout.blobTemp).pathOf(sha256);
    },
    writeFile(name, content) {
      const file = path.join(base, name);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
      return file;
    },
    remove: () => removeTempDir(base),
  };
}
