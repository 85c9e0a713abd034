import type { CaptureRecord, ItemKind } from '../../../shared/domain.js';
import type { ItemPictureText } from '../../../shared/ocr.js';
import type { WritableDB } from '../store/database.js';

/** An item as a deriver sees it: its row, its signed record, and read access to its blobs. */
export interface DerivableItem {
  readonly id: string;
  readonly caseId: string;
  readonly kind: ItemKind;
  readonly url: string | null;
  readonly title: string | null;
  readonly capturedAt: string;
  readonly record: CaptureRecord;
  /** The path of an artifact's blob (read-only), for readers that stream. */
  artifactPath(sha256: string): string;
  /** An artifact's bytes. */
  readArtifact(sha256: string): Promise<Buffer>;
  /** The text recognised in the item's pictures so far (the `ocr` deriver's output). */
  pictureText(): ItemPictureText;
}

/**
 * One kind of derived data (a search index, extracted entities, image hashes…), computed from an
 * item's originals and never part of the evidence: `custos reindex` rebuilds it from scratch.
 * `extract` does the slow part (reading blobs, decoding images) outside any transaction; `write`
 * replaces the item's rows in the deriver's own tables inside one.
 */
export interface Deriver<T = unknown> {
  /** Stable name, stored in `derived_state` (for example `search`). */
  readonly name: string;
  /** Bump it when `extract` changes: every item is then derived again. */
  readonly version: number;
  /**
   * Slow (text recognition): runs after the others, in passes of its own, so a commit is searchable
   * without waiting for it (`afterCommit`).
   */
  readonly background?: boolean;
  /**
   * An SQL condition on the items row `i` that every item this deriver has work for meets: the
   * others are neither visited nor counted as waiting (text recognition and a text file). Absent:
   * every item.
   */
  readonly appliesTo?: string;
  /** The deriver reads the item's notes and tags: a new one makes it derive the item again. */
  readonly readsAnnotations?: boolean;
  extract(item: DerivableItem): Promise<T>;
  /** Replaces this item's rows (it may have been derived before). */
  write(db: WritableDB, item: DerivableItem, data: T): void;
  /** Removes every row the deriver owns, before a rebuild. */
  clear(db: WritableDB): void;
}
