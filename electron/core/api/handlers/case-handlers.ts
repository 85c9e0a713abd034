import { requireNoLostStore } from '../../store/store-folder.js';
import { itemCountsByCase } from '../services/item-queries.js';
import type { HandlerGroup } from './handlers.js';

/** The store's upgrade and folder, the investigator's profile and the cases: what the window asks first. */
export const caseHandlers: HandlerGroup<
  | 'startStoreUpgrade'
  | 'getStoreFolder'
  | 'takeStoreNotices'
  | 'getProfile'
  | 'initProfile'
  | 'listCases'
  | 'createCase'
  | 'getCase'
> = {
  startStoreUpgrade: (input, _context, { store }) => store.startUpgrade(input),
  // Opens nothing: it is asked when the store failed its checks on open, to name the folder.
  getStoreFolder: (_input, _context, { store }) => ({ storeDir: store.dir }),
  // Opens nothing: what writers' opens settled, for the window's notices.
  takeStoreNotices: (_input, _context, { store }) => store.takeNotices(),
  // No database is a first run only when the folder holds no store.json or evidence either.
  getProfile: (_input, _context, { store }) => {
    if (store.exists()) return store.read((s) => s.investigator ?? null);
    requireNoLostStore(store.dir);
    return null;
  },
  initProfile: (input, _context, { store }) =>
    store.write((s) => s.init(input).investigator, { create: true }),
  listCases: (_input, _context, { store }) => {
    if (store.exists())
      return store.read((s) => {
        const counts = itemCountsByCase(s.db);
        return s.listCases().map((c) => ({ ...c, itemCount: counts.get(c.id) ?? 0 }));
      });
    requireNoLostStore(store.dir);
    return [];
  },
  createCase: (input, _context, { store }) => store.write((s) => s.createCase(input)),
  getCase: (input, _context, { store }) => store.read((s) => s.getCase(input.caseRef)),
};
