import { entityDeriver } from '../entities/entity-deriver.js';
import { imageHashDeriver } from '../media/image-hash-deriver.js';
import { searchDeriver } from '../search/search-deriver.js';
import type { Deriver } from './deriver.js';

/**
 * Every deriver the store runs, in order. Each one owns its tables; adding one here is all it
 * takes for captures, imports and received items (and `custos reindex`) to feed it. The search
 * deriver reads the entities' rows (phone numbers, IBANs), so it comes after them: an item's
 * results are written in this order.
 */
export const DERIVERS: readonly Deriver[] = [
  entityDeriver as Deriver,
  searchDeriver as Deriver,
  imageHashDeriver as Deriver,
];
