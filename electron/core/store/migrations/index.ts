import { badInput, type CustosError } from '../../errors.js';
import type { WritableDB } from '../database.js';
import { migration001Initial } from './001-initial.js';
import { migration002TimestampQueue } from './002-timestamp-queue.js';
import { migration003Received } from './003-received.js';
import { migration004ProtectCases } from './004-protect-cases.js';
import { migration005DerivedState } from './005-derived-state.js';
import { migration006SearchIndex } from './006-search-index.js';
import { migration007Entities } from './007-entities.js';
import { migration008ImageHashes } from './008-image-hashes.js';
import { migration009Watches } from './009-watches.js';
import { migration010PageImages } from './010-page-images.js';
import { migration011TagRemoval } from './011-tag-removal.js';
import { migration012PictureText } from './012-picture-text.js';
import { migration013Selectors } from './013-selectors.js';
import { migration014Remotes } from './014-remotes.js';
import { migration015ListIndexes } from './015-list-indexes.js';
import { migration016SearchListIndexes } from './016-search-list-indexes.js';
import { migration017SearchImpacts } from './017-search-impacts.js';
import { migration018SearchImpactCases } from './018-search-impact-cases.js';
import { migration019SearchCaseBlocks } from './019-search-case-blocks.js';

/** One numbered schema change; `version` becomes the database's `user_version`. */
interface Migration {
  readonly version: number;
  readonly name: string;
  readonly up: (db: WritableDB) => void;
}

/** Every migration, in order. Append only: a released migration is never edited. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial', up: migration001Initial },
  { version: 2, name: 'timestamp-queue', up: migration002TimestampQueue },
  { version: 3, name: 'received', up: migration003Received },
  { version: 4, name: 'protect-cases', up: migration004ProtectCases },
  { version: 5, name: 'derived-state', up: migration005DerivedState },
  { version: 6, name: 'search-index', up: migration006SearchIndex },
  { version: 7, name: 'entities', up: migration007Entities },
  { version: 8, name: 'image-hashes', up: migration008ImageHashes },
  { version: 9, name: 'watches', up: migration009Watches },
  { version: 10, name: 'page-images', up: migration010PageImages },
  { version: 11, name: 'tag-removal', up: migration011TagRemoval },
  { version: 12, name: 'picture-text', up: migration012PictureText },
  { version: 13, name: 'selectors', up: migration013Selectors },
  { version: 14, name: 'remotes', up: migration014Remotes },
  { version: 15, name: 'list-indexes', up: migration015ListIndexes },
  { version: 16, name: 'search-list-indexes', up: migration016SearchListIndexes },
  { version: 17, name: 'search-impacts', up: migration017SearchImpacts },
  { version: 18, name: 'search-impact-cases', up: migration018SearchImpactCases },
  { version: 19, name: 'search-case-blocks', up: migration019SearchCaseBlocks },
];

/** The schema version this build of Custos writes. */
export const SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0;

/**
 * Told, before it starts, that an existing store's database is about to be upgraded (a new store is
 * not): some migrations build derived tables over every item, which takes a while in a large store.
 */
export type UpgradeListener = (fromVersion: number, toVersion: number) => void;

/**
 * Brings the database up to SCHEMA_VERSION in one transaction (all migrations or none), and
 * refuses a database made by a newer Custos rather than guess at its meaning.
 */
export function migrate(db: WritableDB, onUpgrade?: UpgradeListener): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) throw newerStoreError(current);
  if (current === SCHEMA_VERSION) return;
  if (current > 0) onUpgrade?.(current, SCHEMA_VERSION);
  db.transaction(() => {
    for (const migration of MIGRATIONS) {
      if (migration.version <= current) continue;
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    }
  }).immediate();
}

/**
 * A store written by a newer Custos is bad input for this one (exit 2): nothing is written, and the
 * store is fine; only the newer Custos (or this one, updated) can open it.
 */
export function newerStoreError(version: number): CustosError {
  return badInput(
    `this store's database is schema version ${version}, newer than this Custos understands (${SCHEMA_VERSION}); nothing was written. Use the newer Custos that wrote it, or update this one`,
  );
}
