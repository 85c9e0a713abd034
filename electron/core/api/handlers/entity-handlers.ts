import fs from 'node:fs';
import path from 'node:path';
import { exportEntityLinks } from '../../entities/entity-export.js';
import { entitiesOfCase, entitiesOfItem } from '../../entities/entity-queries.js';
import { findMentions } from '../../entities/find-mentions.js';
import type { HandlerGroup } from './handlers.js';

/** The entity panel, "all items that mention this", and the entities of an item. */
export const entityHandlers: HandlerGroup<
  'listCaseEntities' | 'findEntityMentions' | 'getItemEntities' | 'exportCaseEntities'
> = {
  // Written into the export folder under a new name (never over another file), as bundles are.
  exportCaseEntities: (input, _context, { store, exportDir }) =>
    store.read((s) => {
      const found = s.getCase(input.caseRef);
      const text = exportEntityLinks(s.db, found.id, input.format);
      fs.mkdirSync(exportDir, { recursive: true });
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const safeNumber = found.number.replace(/[^\p{L}\p{N}._-]+/gu, '_');
      const file = path.join(exportDir, `${safeNumber}-entities-${stamp}.${input.format}`);
      fs.writeFileSync(file, text, { flag: 'wx' });
      return { file };
    }),
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
