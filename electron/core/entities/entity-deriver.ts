import type { Deriver } from '../derive/deriver.js';
import { clearEntities, replaceItemEntities, type StoredOccurrence } from './entity-queries.js';
import { itemEntities } from './item-entities.js';

/** Extracted entities (migration 007): read from an item's originals, rebuilt by `custos reindex`. */
export const entityDeriver: Deriver<StoredOccurrence[]> = {
  name: 'entities',
  version: 2,
  extract: itemEntities,
  write: (db, item, occurrences) => replaceItemEntities(db, item, occurrences),
  clear: clearEntities,
};
