import type { PageImageLocation } from '../../../../shared/media.js';
import { nearDuplicateGroups, similarImages } from '../../media/similar-images.js';
import type { EvidenceStore } from '../../store/evidence-store.js';
import { thumbnailCache } from '../services/thumbnails.js';
import type { HandlerGroup } from './handlers.js';

/** The thumbnail of a picture: its blob, or for a page image its bytes in the capture's WARC. */
function pictureThumbnail(
  store: EvidenceStore,
  picture: { readonly sha256: string; readonly page?: PageImageLocation },
): Promise<string | null> {
  const { sha256, page } = picture;
  return page
    ? thumbnailCache.getPageImage(sha256, store.blobs.pathOf(page.warcSha256), page)
    : thumbnailCache.get(sha256, store.blobs.pathOf(sha256));
}

/** Near-duplicate pictures: an item's similar images, a case's groups (read-only, derived data). */
export const mediaHandlers: HandlerGroup<'getSimilarImages' | 'getNearDuplicateGroups'> = {
  getSimilarImages: (input, _context, { store }) =>
    store.read(async (s) => {
      const result = similarImages(s, input.itemId);
      const similar = await Promise.all(
        result.similar.map(async (image) => ({
          ...image,
          thumbnail: await pictureThumbnail(s, image),
        })),
      );
      return { ...result, similar };
    }),
  getNearDuplicateGroups: (input, _context, { store }) =>
    store.read(async (s) => {
      const groups = nearDuplicateGroups(s, { caseRef: input.caseRef });
      return Promise.all(
        groups.map(async (group) => ({
          ...group,
          members: await Promise.all(
            group.members.map(async (member) => ({
              ...member,
              thumbnail: await pictureThumbnail(s, member),
            })),
          ),
        })),
      );
    }),
};
