import { itemCountsByCase } from '../services/item-queries.js';
import type { HandlerGroup } from './handlers.js';

/** The store's upgrade and folder, the investigator's profile and the cases: what the window asks first. */
export const caseHandlers: HandlerGroup<
  | 'startStoreUpgrade'
  | 'getStoreFolder'
  | 'getProfile'
  | 'initProfile'
  | 'listCases'
  | 'createCase'
  | 'getCase'
> = {
  startStoreUpgrade: (input, _context, { store }) => store.startUpgrade(input),
  // Opens nothing: it is asked when the store failed its checks on open, to name the folder.
  getStoreFolder: (_input, _context, { store }) => ({ storeDir: store.dir }),
  getProfile: (_input, _context, { store }) =>
    store.exists() ? store.read((s) => s.investigator ?? null) : null,
  initProfile: (input, _context, { store }) =>
    store.write((s) => s.init(input).investigator, { create: true }),
  listCases: (_input, _context, { store }) =>
    store.exists()
      ? store.read((s) => {
          const counts = itemCountsByCase(s.db);
          return s.listCases().map((c) => ({ ...c, itemCount: counts.get(c.id) ?? 0 }));
        })
      : [],
  createCase: (input, _context, { store }) => store.write((s) => s.createCase(input)),
  getCase: (input, _context, { store }) => store.read((s) => s.getCase(input.caseRef)),
};
