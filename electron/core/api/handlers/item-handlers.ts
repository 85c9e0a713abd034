import fs from 'node:fs/promises';
import type { ArtifactRecord } from '../../../../shared/domain.js';
import { badInput } from '../../errors.js';
import { searchItems } from '../../search/search-queries.js';
import { ledgerPage } from '../../store/ledger.js';
import * as q from '../../store/queries.js';
import { caseTags, itemTimestamps, queryItemPage } from '../services/item-queries.js';
import { withSubjects } from '../services/ledger-subjects.js';
import { thumbnailCache as thumbnails } from '../services/thumbnails.js';
import type { HandlerGroup } from './handlers.js';

/** The viewer refuses artifacts larger than this (they stay in the bundle and the store). */
const MAX_VIEWED_BYTES = 64 * 1024 * 1024;
/** The web capture record is small; a larger `metadata` artifact is not shown inline. */
const MAX_RECORD_BYTES = 8 * 1024 * 1024;

/** The evidence list, the item screen, notes and tags, and the custody log. */
export const itemHandlers: HandlerGroup<
  | 'listItems'
  | 'queryItems'
  | 'listCaseTags'
  | 'searchItems'
  | 'getItem'
  | 'getArtifact'
  | 'getThumbnail'
  | 'getThumbnails'
  | 'addNote'
  | 'addTag'
  | 'tagItems'
  | 'getLedger'
  | 'queryLedger'
> = {
  listItems: (input, _context, { store }) => store.read((s) => s.listItems(input.caseRef)),
  queryItems: (input, _context, { store }) =>
    store.read((s) => queryItemPage(s.db, s.getCase(input.caseRef).id, input)),
  listCaseTags: (input, _context, { store }) =>
    store.read((s) => caseTags(s.db, s.getCase(input.caseRef).id)),
  searchItems: (input, _context, { store }) =>
    store.read((s) =>
      searchItems(s.db, {
        query: input.query,
        caseId: input.caseRef ? s.getCase(input.caseRef).id : null,
        offset: input.offset,
        limit: input.limit,
      }),
    ),
  getItem: (input, _context, { store }) =>
    store.read(async (s) => {
      const detail = s.getItem(input.itemId);
      const metadata = detail.artifacts.find((a) => a.role === 'metadata' && a.mediaType.includes('json'));
      return {
        ...detail,
        webRecord: metadata ? await readRecord(s.blobs.pathOf(metadata.sha256), metadata) : null,
        timestamps: itemTimestamps(s.db, detail.id),
      };
    }),
  getArtifact: (input, _context, { store }) =>
    store.read(async (s) => {
      const artifact = s.getItemSummary(input.itemId).artifacts.find((a) => a.sha256 === input.sha256);
      if (!artifact) throw badInput(`item ${input.itemId} has no artifact ${input.sha256}`);
      if (artifact.size > MAX_VIEWED_BYTES) {
        throw badInput(
          `${artifact.name} is ${artifact.size} bytes, too large to show here; export the item to open it with another program`,
        );
      }
      const bytes = await fs.readFile(s.blobs.pathOf(artifact.sha256));
      return { mediaType: artifact.mediaType, size: artifact.size, base64: bytes.toString('base64') };
    }),
  getThumbnail: (input, _context, { store }) =>
    store.read(async (s) => {
      const item = s.getItemSummary(input.itemId);
      const image = pickThumbnailSource(item.artifacts);
      return { dataUri: image ? await thumbnails.get(image.sha256, s.blobs.pathOf(image.sha256)) : null };
    }),
  getThumbnails: (input, _context, { store }) =>
    store.read(async (s) => {
      const answers = await Promise.all(
        input.itemIds.map(async (itemId) => {
          const item = q.findItem(s.db, itemId);
          const image = item && pickThumbnailSource(q.listArtifacts(s.db, item.id));
          return [
            itemId,
            image ? await thumbnails.get(image.sha256, s.blobs.pathOf(image.sha256)) : null,
          ] as const;
        }),
      );
      return Object.fromEntries(answers);
    }),
  addNote: (input, _context, { store }) => store.write((s) => s.addNote(input.itemId, input.text)),
  addTag: (input, _context, { store }) => store.write((s) => s.addTag(input.itemId, input.tag)),
  tagItems: (input, _context, { store }) =>
    store.write((s) => s.tagItems(input.itemIds, input.tag, { remove: input.remove })),
  getLedger: (input, _context, { store }) =>
    store.exists() ? store.read((s) => s.ledger(input.caseRef)) : [],
  queryLedger: (input, _context, { store }) =>
    store.read((s) => {
      const { total, entries } = ledgerPage(s.db, { ...input, caseId: s.getCase(input.caseRef).id });
      return { total, offset: input.offset, rows: withSubjects(s.db, entries) };
    }),
};

/** The smallest picture of the item: the viewport shot, else the full page, else an imported image. */
function pickThumbnailSource(artifacts: readonly ArtifactRecord[]): ArtifactRecord | undefined {
  return (
    artifacts.find((a) => a.role === 'viewport') ??
    artifacts.find((a) => a.role === 'screenshot') ??
    artifacts.find((a) => a.role === 'original' && /^image\/(png|jpeg|webp|gif|avif|tiff)$/.test(a.mediaType))
  );
}

async function readRecord(file: string, artifact: ArtifactRecord): Promise<Record<string, unknown> | null> {
  if (artifact.size > MAX_RECORD_BYTES) return null;
  try {
    const parsed: unknown = JSON.parse(await fs.readFile(file, 'utf8'));
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : null;
  } catch {
    // A record that does not parse is shown as absent; `custos audit` is what reports damage.
    return null;
  }
}
