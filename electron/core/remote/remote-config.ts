/** `custos remote add|list|remove`: the remotes a store knows (names, addresses; never credentials). */
import { badInput } from '../errors.js';
import type { EvidenceStore } from '../store/evidence-store.js';
import { deleteRemote, findRemote, insertRemote, listRemotes, type Remote } from './remote-queries.js';
import { parseRemoteUrl } from './remote-url.js';

/** A remote as `custos remote add` takes it. */
export interface NewRemote {
  readonly name: string;
  readonly url: string;
  readonly endpoint?: string;
  readonly region?: string;
  readonly profile?: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Adds a remote after checking its name, address and endpoint; bad input (exit 2) writes nothing. */
export function addRemote(store: EvidenceStore, input: NewRemote): Remote {
  if (!NAME.test(input.name))
    throw badInput(`${input.name} is not a remote name: use letters, digits, dots, hyphens or underscores`);
  const location = parseRemoteUrl(input.url);
  let endpoint: string | null = null;
  if (input.endpoint !== undefined) {
    let parsed: URL;
    try {
      parsed = new URL(input.endpoint);
    } catch {
      throw badInput(`--endpoint ${input.endpoint} is not a URL; write it as https://HOST[:PORT]`);
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
      throw badInput(`--endpoint ${input.endpoint} must be an http(s) URL`);
    endpoint = parsed.origin;
  }
  if (findRemote(store.db, input.name))
    throw badInput(`a remote named ${input.name} exists; \`custos remote remove ${input.name}\` first`);
  const remote: Remote = {
    name: input.name,
    ...location,
    endpoint,
    region: input.region ?? 'us-east-1',
    profile: input.profile ?? null,
    addedAt: new Date().toISOString(),
  };
  store.transaction((db) => insertRemote(db, remote));
  return remote;
}

/** Every remote. */
export function remotes(store: EvidenceStore): Remote[] {
  return listRemotes(store.db);
}

/** Forgets a remote; its objects stay on the storage. */
export function removeRemote(store: EvidenceStore, name: string): void {
  const removed = store.transaction((db) => deleteRemote(db, name));
  if (!removed) throw badInput(`no remote named ${name}; \`custos remote list\` shows the remotes`);
}
