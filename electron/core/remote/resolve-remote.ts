/** Which remote a push or pull uses: the one named, or the only one configured. */
import { badInput, errorSaying } from '../errors.js';
import type { ReadableDB } from '../store/database.js';
import { findRemote, listRemotes, type Remote } from './remote-queries.js';

/** The remote named, else the only one; bad input (exit 2) that says how to choose otherwise. */
export function resolveRemote(db: ReadableDB, name: string | undefined): Remote {
  if (name !== undefined) {
    const remote = findRemote(db, name);
    if (!remote)
      throw errorSaying('bad-input', (next) => `no remote named ${name}; ${next.remotes} shows the remotes`);
    return remote;
  }
  const remotes = listRemotes(db);
  if (remotes.length === 1) return remotes[0]!;
  if (remotes.length === 0)
    throw badInput(
      'no remote is configured; add one with `custos remote add NAME s3://BUCKET/PREFIX --endpoint URL`',
    );
  throw badInput(
    `${remotes.length} remotes are configured; choose one with --remote (${remotes.map((r) => r.name).join(', ')})`,
  );
}
