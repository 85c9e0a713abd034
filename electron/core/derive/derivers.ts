import { entityDeriver } from '../entities/entity-deriver.js';
import { imageHashDeriver } from '../media/image-hash-deriver.js';
import { searchDeriver } from '../search/search-deriver.js';
import type { Deriver } from './deriver.js';

/**
 * Every deriver the store runs, in order. Each one owns its tables; adding one here is all it
 * takes for captures, imports and received items (and `custos reindex`) to feed it.
 */
export const DERIVERS: readonly Deriver[] = [
  searchDeriver as Deriver,
  entityDeriver as Deriver,
  imageHashDeriver as Deriver,
];
