import { importFile } from '../../electron/core/import/import-file.js';
import type { TempStore } from './temp-store.js';

/** An item a seeded store holds, with the blob and custody entry behind it. */
export interface SeededItem {
  readonly id: string;
  readonly sha256: string;
  readonly size: number;
  /** The file it was imported from (still in the temp folder). */
  readonly file: string;
  /** The ledger entry that created it. */
  readonly seq: number;
}

/** What `seedStore` put in a store. */
export interface SeededEvidence {
  readonly items: readonly SeededItem[];
  /** Ledger sequence numbers of the note and tag added to the first item. */
  readonly noteSeq: number;
  readonly tagSeq: number;
  /** Sequence number of the last ledger entry. */
  readonly headSeq: number;
}

/**
 * Imports `files` small files with distinct content into the store's case (in this process, fast),
 * then notes and tags the first item: every kind of evidence row and custody entry, ready to be
 * listed, audited or tampered with.
 */
export async function seedStore(
  temp: TempStore,
  options: { readonly files?: number } = {},
): Promise<SeededEvidence> {
  if (temp.caseId === undefined)
    throw new Error('seedStore needs a store made with makeTempStore({ caseNumber })');
  const store = temp.open();
  try {
    const items: SeededItem[] = [];
    for (let i = 1; i <= (options.files ?? 3); i++) {
      const file = temp.writeFile(`evidence-${i}.txt`, `evidence file ${i}: ${'x'.repeat(i * 100)}\n`);
      const summary = await importFile(store, temp.caseId, file);
      const artifact = summary.artifacts[0];
      if (!artifact) throw new Error('import made an item without an artifact');
      const detail = store.getItem(summary.id);
      items.push({
        id: summary.id,
        sha256: artifact.sha256,
        size: artifact.size,
        file,
        seq: detail.custody[0]?.seq ?? -1,
      });
    }
    const first = items[0];
    if (!first) throw new Error('seedStore needs at least one file');
    const noteSeq = store.addNote(first.id, 'seen on the seller page').seq;
    const tagSeq = store.addTag(first.id, 'boat').seq;
    return { items, noteSeq, tagSeq, headSeq: tagSeq };
  } finally {
    store.close();
  }
}
