import { nearDuplicateGroups, similarImages } from '../media/similar-images.js';
import type { HandlerGroup } from './handlers.js';
import { thumbnailCache } from './thumbnails.js';

/** Near-duplicate pictures: an item's similar images, a case's groups (read-only, derived data). */
export const mediaHandlers: HandlerGroup<'getSimilarImages' | 'getNearDuplicateGroups'> = {
  getSimilarImages: (input, _context, { store }) =>
    store.read(async (s) => {
      const result = similarImages(s, input.itemId);
      const similar = await Promise.all(
        result.similar.map(async (image) => ({
          ...image,
          thumbnail: await thumbnailCache.get(image.sha256, s.blobs.pathOf(image.sha256)),
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
              thumbnail: await thumbnailCache.get(member.sha256, s.blobs.pathOf(member.sha256)),
            })),
          ),
        })),
      );
    }),
};
