/**
 * What every commit reads of a store's timestamp settings (timestamp-settings.ts changes them):
 * the authorities to ask and the roots the user added. Apart from the settings' certificate
 * parsing (pkijs, 40 ms or more to load), so that a capture or an import that only queues its
 * requests (no authority configured) never loads it.
 */
import type { ReadableDB } from '../store/database.js';
import { getSetting } from '../store/queries.js';

/** The setting holding the authorities' URLs, in order. */
export const AUTHORITIES_KEY = 'timestamp.authorities';
/** The setting holding the PEM texts of the roots the user added. */
export const ROOTS_KEY = 'timestamp.trustedRoots';

/** The authorities a store asks, in order (none until the user sets them). */
export function configuredAuthorities(db: ReadableDB): string[] {
  return readList(db, AUTHORITIES_KEY);
}

/** PEM texts of the roots the user added to this store. */
export function userTrustedRoots(db: ReadableDB): string[] {
  return readList(db, ROOTS_KEY);
}

function readList(db: ReadableDB, key: string): string[] {
  const value = getSetting(db, key);
  if (value === undefined) return [];
  const parsed: unknown = JSON.parse(value);
  return Array.isArray(parsed) ? parsed.filter((entry): entry is string => typeof entry === 'string') : [];
}
