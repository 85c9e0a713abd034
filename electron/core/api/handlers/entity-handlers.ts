import { entitiesOfCase, entitiesOfItem } from '../../entities/entity-queries.js';
import { findMentions } from '../../entities/find-mentions.js';
import type { HandlerGroup } from './handlers.js';

/** The entity panel, "all items that mention this", and the entities of an item. */
export const entityHandlers: HandlerGroup<'listCaseEntities' | 'findEntityMentions' | 'getItemEntities'> = {
  listCaseEntities: (input, _context, { store }) =>
    store.read((s) => entitiesOfCase(s.db, s.getCase(input.caseRef).id, input.type ?? undefined)),
  findEntityMentions: (input, _context, { store }) =>
    store.read((s) => findMentions(s.db, input.value, input.type ?? undefined)),
  getItemEntities: (input, _context, { store }) =>
    store.read((s) => {
      const item = s.getItemSummary(input.itemId);
      return entitiesOfItem(s.db, item.id, item.caseId);
    }),
};
