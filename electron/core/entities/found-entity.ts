import type { EntityType } from '../../../shared/entities.js';

/** An entity as an extractor finds it in one text: offsets are UTF-16 positions in that text. */
export interface FoundEntity {
  readonly type: EntityType;
  /** The normalised value (what links items together). */
  readonly value: string;
  /** The text exactly as written. */
  readonly original: string;
  readonly offset: number;
}

/** What the page says about where it is from, to read national phone numbers and currencies. */
export interface EntityHints {
  /** The page's language tag (`<html lang>`), e.g. `ar-LY`. */
  readonly lang?: string | null;
  /** The page's address: its country TLD is a region hint. */
  readonly url?: string | null;
  /** Regions (ISO 3166 alpha-2) to try, most likely first, before those derived from the above. */
  readonly regions?: readonly string[];
}

/** A found entity for a regular-expression match (or a part of one starting at `start`). */
export function found(
  type: EntityType,
  value: string,
  text: string,
  start: number,
  end: number,
): FoundEntity {
  return { type, value, original: text.slice(start, end), offset: start };
}
