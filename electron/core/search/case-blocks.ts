/**
 * Each case's search documents are numbered in its own block of rowids (migration 019): document
 * `n` (1, 2, …) of the case whose block is `b` is `b · 2^32 + n`, so a case's documents are one
 * range of rowids holding no other case's, whatever order the cases were captured into. FTS5
 * reads a word's doclist within that range alone (`caseRange`), and no other case's match is read,
 * weighed and dropped.
 *
 * Every id stays an exact JavaScript number (below 2^53): at most 2^21 − 1 blocks (a block a case
 * that ever had a search document) and 2^32 − 1 documents written into one block (each write of a
 * document, a rewrite too, takes the block's next number; `custos reindex` empties the blocks, and
 * their numbers start at 1 again). Past either bound a write is refused, nothing written.
 */
import { operationFailure } from '../errors.js';
import { cachedStatement, type WritableDB } from '../store/database.js';

/** The rowids of one block: its documents are numbered 1 to BLOCK_SIZE − 1 after its start. */
export const BLOCK_SIZE = 2 ** 32;

/** The largest block number: (2^21 − 1) · 2^32 + 2^32 − 1 = 2^53 − 1, the largest exact number. */
export const MAX_BLOCK = 2 ** 21 - 1;

/** The number of a document within its case's block (1 for its first). */
export function numberInBlock(doc: number): number {
  return doc % BLOCK_SIZE;
}

/** The rowids block `block` holds: its first document's to its last possible one's. */
export function blockRange(block: number): { first: number; last: number } {
  return { first: block * BLOCK_SIZE + 1, last: (block + 1) * BLOCK_SIZE - 1 };
}

/**
 * The id of a new search document of the case: next after its block's last, the block made (the
 * next free number) when this is the case's first document. Refuses (nothing written) a block past
 * `MAX_BLOCK` or a block full, which `custos reindex` numbers from 1 again.
 */
export function nextDocumentId(db: WritableDB, caseId: string): number {
  const block = blockOf(db, caseId);
  const last = cachedStatement(db, 'SELECT max(id) FROM search_documents WHERE case_id = ?')
    .pluck()
    .get(caseId) as number | null;
  const next = last === null ? block * BLOCK_SIZE + 1 : last + 1;
  if (next >= (block + 1) * BLOCK_SIZE) {
    throw operationFailure(
      `this case's search documents have used up their block of numbers (${BLOCK_SIZE - 1} writes); nothing was written. Run \`custos reindex\`, which numbers them from 1 again`,
    );
  }
  return next;
}

/** The case's block, made (the next free number) if it has none. */
function blockOf(db: WritableDB, caseId: string): number {
  const found = cachedStatement(db, 'SELECT block FROM search_case_blocks WHERE case_id = ?')
    .pluck()
    .get(caseId) as number | undefined;
  if (found !== undefined) return found;
  const block =
    ((cachedStatement(db, 'SELECT max(block) FROM search_case_blocks').pluck().get() as number | null) ?? 0) +
    1;
  if (block > MAX_BLOCK) {
    throw operationFailure(
      `the search index has no block of numbers left for another case (${MAX_BLOCK} cases have one); nothing was written`,
    );
  }
  cachedStatement(db, 'INSERT INTO search_case_blocks (case_id, block) VALUES (?, ?)').run(caseId, block);
  return block;
}
