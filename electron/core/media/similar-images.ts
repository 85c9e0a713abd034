import type {
  ImageHashStatus,
  NearDuplicateGroup,
  NearDuplicateMember,
  PictureItem,
  SimilarImage,
  SimilarImages,
} from '../../../shared/media.js';
import type { ReadableDB } from '../store/database.js';
import type { EvidenceStore } from '../store/evidence-store.js';
import { hasPictures, imageHashDeriver } from './image-hash-deriver.js';
import {
  allImageHashes,
  findNearHashes,
  ImageHashIndex,
  itemImageHashes,
  pageImageScan,
  siteFurniture,
} from './image-hash-queries.js';
import { NEAR_DUPLICATE_DISTANCE } from './perceptual-hash.js';

type ItemFacts = Omit<PictureItem, 'itemId'>;

function itemFacts(db: ReadableDB, itemId: string): ItemFacts {
  return db
    .prepare(
      `SELECT i.case_id AS caseId, c.number AS caseNumber, i.kind, i.title, i.source, i.captured_at AS capturedAt
       FROM items i JOIN cases c ON c.id = i.case_id WHERE i.id = ?`,
    )
    .get(itemId) as ItemFacts;
}

/**
 * The items, in any case, whose pictures are within `maxDistance` bits of one of this item's
 * pictures: nearest first, each item once (by its nearest picture). The item is named by its id
 * or a prefix of it; an unknown item is bad input.
 */
export function similarImages(
  store: EvidenceStore,
  itemRef: string,
  maxDistance = NEAR_DUPLICATE_DISTANCE,
): SimilarImages {
  const item = store.getItemSummary(itemRef);
  const db = store.db;
  const images = itemImageHashes(db, item.id);
  const furniture = siteFurniture(db);
  const best = new Map<string, SimilarImage>();
  for (const image of images) {
    if (furniture.has(image.sha256)) continue;
    for (const near of findNearHashes(db, image.phash, maxDistance)) {
      if (near.itemId === item.id || furniture.has(near.sha256)) continue;
      const known = best.get(near.itemId);
      if (known && known.distance <= near.distance) continue;
      best.set(near.itemId, {
        itemId: near.itemId,
        ...itemFacts(db, near.itemId),
        distance: near.distance,
        sha256: near.sha256,
        role: near.role,
        ...(near.page ? { page: near.page } : {}),
        matchedSha256: image.sha256,
        matchedRole: image.role,
        ...(image.page ? { matchedPage: image.page } : {}),
      });
    }
  }
  const { status, error } = hashStatus(db, item.id, hasPictures(item.artifacts));
  return {
    itemId: item.id,
    status,
    error,
    images: images.map(({ sha256, role, phash, page }) => ({
      sha256,
      role,
      phash,
      ...(page ? { page } : {}),
    })),
    pageImages: status === 'hashed' || status === 'failed' ? pageImageScan(db, item.id) : null,
    siteFurniture: images
      .filter((image) => furniture.has(image.sha256))
      .map((image) => ({
        sha256: image.sha256,
        uri: image.page?.uri ?? null,
        pages: furniture.get(image.sha256) ?? 0,
      })),
    maxDistance,
    similar: [...best.values()].sort(
      (a, b) =>
        a.distance - b.distance ||
        a.capturedAt.localeCompare(b.capturedAt) ||
        a.itemId.localeCompare(b.itemId),
    ),
  };
}

function hashStatus(
  db: ReadableDB,
  itemId: string,
  pictures: boolean,
): { status: ImageHashStatus; error: string | null } {
  if (!pictures) return { status: 'no-images', error: null };
  const state = db
    .prepare('SELECT version, error FROM derived_state WHERE item_id = ? AND deriver = ?')
    .get(itemId, imageHashDeriver.name) as { version: number; error: string | null } | undefined;
  if (!state || state.version !== imageHashDeriver.version) return { status: 'pending', error: null };
  if (state.error) return { status: 'failed', error: state.error };
  // Hashed, even with no stored hash: a flat picture (a blank page) is not hashed.
  return { status: 'hashed', error: null };
}

/**
 * Groups of near-duplicates: the connected components of "within `maxDistance` bits" over every
 * hashed picture of the store, as groups of two or more items (the same boat photo posted by
 * different accounts, in different cases). With `caseRef`, only the groups that hold an item of
 * that case (with their members from other cases). Groups that cross cases come first, then the
 * larger ones.
 */
export function nearDuplicateGroups(
  store: EvidenceStore,
  options: { caseRef?: string; maxDistance?: number } = {},
): NearDuplicateGroup[] {
  const maxDistance = options.maxDistance ?? NEAR_DUPLICATE_DISTANCE;
  const caseId = options.caseRef === undefined ? undefined : store.getCase(options.caseRef).id;
  const db = store.db;
  // A logo on every page of a site would join all its captures into one group: left out.
  const furniture = siteFurniture(db);
  const hashes = allImageHashes(db).filter((hash) => !furniture.has(hash.sha256));
  const index = new ImageHashIndex(hashes);
  const facts = new Map<string, ItemFacts>();
  const factsOf = (itemId: string) => {
    let known = facts.get(itemId);
    if (!known) {
      known = itemFacts(db, itemId);
      facts.set(itemId, known);
    }
    return known;
  };

  const visited = new Uint8Array(hashes.length);
  const groups: NearDuplicateGroup[] = [];
  for (let start = 0; start < hashes.length; start++) {
    if (visited[start]) continue;
    if (caseId !== undefined && factsOf(hashes[start]!.itemId).caseId !== caseId) continue;
    // Breadth-first over the near-duplicate relation: every picture reachable from this one.
    const component: number[] = [start];
    const nearest = new Map<number, number>([[start, Number.POSITIVE_INFINITY]]);
    visited[start] = 1;
    for (let k = 0; k < component.length; k++) {
      const i = component[k]!;
      for (const { index: j, distance } of index.near(i, maxDistance)) {
        if (!visited[j]) {
          visited[j] = 1;
          component.push(j);
          nearest.set(j, Number.POSITIVE_INFINITY);
        }
        // A member's distance is to another item's picture (an item's own shots look alike).
        if (hashes[j]!.itemId === hashes[i]!.itemId) continue;
        if (distance < nearest.get(i)!) nearest.set(i, distance);
        if (distance < nearest.get(j)!) nearest.set(j, distance);
      }
    }
    // One member per item: its picture nearest to the rest of the group.
    const members = new Map<string, NearDuplicateMember>();
    for (const i of component) {
      const hash = hashes[i]!;
      const distance = nearest.get(i)!;
      const known = members.get(hash.itemId);
      if (known && known.distance <= distance) continue;
      members.set(hash.itemId, {
        itemId: hash.itemId,
        ...factsOf(hash.itemId),
        sha256: hash.sha256,
        role: hash.role,
        ...(hash.page ? { page: hash.page } : {}),
        distance: Number.isFinite(distance) ? distance : 0,
      });
    }
    if (members.size < 2) continue;
    const list = [...members.values()].sort(
      (a, b) =>
        a.caseNumber.localeCompare(b.caseNumber) ||
        a.capturedAt.localeCompare(b.capturedAt) ||
        a.itemId.localeCompare(b.itemId),
    );
    groups.push({ members: list, caseNumbers: [...new Set(list.map((m) => m.caseNumber))].sort() });
  }
  return groups.sort(
    (a, b) =>
      b.caseNumbers.length - a.caseNumbers.length ||
      b.members.length - a.members.length ||
      a.members[0]!.capturedAt.localeCompare(b.members[0]!.capturedAt),
  );
}
