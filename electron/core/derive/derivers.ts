import { entityDeriver } from '../entities/entity-deriver.js';
import { imageHashDeriver } from '../media/image-hash-deriver.js';
import { ocrDeriver } from '../ocr/ocr-deriver.js';
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
  ocrDeriver as Deriver,
];

/**
 * The derivers this process runs: all of them, except text recognition when `CUSTOS_OCR=off`
 * (a slow machine; the test suite, whose few OCR tests turn it on). Its rows are then neither
 * made nor cleared, and its items are not counted as waiting.
 */
export function activeDerivers(): readonly Deriver[] {
  const ocrOff = /^(off|0|false|no)$/i.test(process.env.CUSTOS_OCR ?? '');
  return ocrOff ? DERIVERS.filter((d) => d !== (ocrDeriver as Deriver)) : DERIVERS;
}

/** The derivers that run at once after a commit (all but the background ones). */
export function quickDerivers(): readonly Deriver[] {
  return activeDerivers().filter((d) => !d.background);
}

/** The background derivers (text recognition), unless turned off. */
export function backgroundDerivers(): readonly Deriver[] {
  return activeDerivers().filter((d) => d.background);
}
