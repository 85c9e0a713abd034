import { confirmCandidate, dismissCandidate, itemCandidates } from '../../entities/candidates.js';
import { badInput } from '../../errors.js';
import { sniffMediaType } from '../../import/media-type.js';
import { pageImageOfItem } from '../../media/page-image-lookup.js';
import { pictureTextOfItem } from '../../ocr/ocr-queries.js';
import type { HandlerGroup } from './handlers.js';

/** Text recognised in an item's pictures, its page images, and the candidates an investigator decides on. */
export const pictureTextHandlers: HandlerGroup<
  'getItemPictureText' | 'getPageImage' | 'getItemCandidates' | 'confirmCandidate' | 'dismissCandidate'
> = {
  getItemPictureText: (input, _context, { store }) =>
    store.read((s) => pictureTextOfItem(s.db, s.getItemSummary(input.itemId).id)),
  getPageImage: (input, _context, { store }) =>
    store.read(async (s) => {
      const bytes = await pageImageOfItem(s, s.getItemSummary(input.itemId), input.sha256);
      if (!bytes) throw badInput(`item ${input.itemId} holds no page image ${input.sha256}`);
      const { mediaType } = await sniffMediaType(bytes.subarray(0, 4096));
      return { mediaType, size: bytes.byteLength, base64: bytes.toString('base64') };
    }),
  getItemCandidates: (input, _context, { store }) =>
    store.read((s) => {
      const item = s.getItemSummary(input.itemId);
      return itemCandidates(s.db, item.id, item.caseId);
    }),
  confirmCandidate: (input, _context, { store }) =>
    store.write((s) => confirmCandidate(s, input, input.value)),
  dismissCandidate: (input, _context, { store }) => store.write((s) => dismissCandidate(s, input)),
};
