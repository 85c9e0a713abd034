import { selectorHits } from '../../selectors/selector-hits.js';
import { itemSelectorMarks } from '../../selectors/selector-marks.js';
import { addSelector, listSelectors, removeSelector } from '../../selectors/selector-service.js';
import type { HandlerGroup } from './handlers.js';

/** Selectors: list, add and remove (each a custody entry, as `custos selector`), their hits and marks. */
export const selectorHandlers: HandlerGroup<
  'listSelectors' | 'addSelector' | 'removeSelector' | 'listSelectorHits' | 'getItemSelectorMarks'
> = {
  listSelectors: (input, _context, { store }) =>
    store.exists()
      ? store.read((s) =>
          listSelectors(s.db, {
            caseId: input.caseRef ? s.getCase(input.caseRef).id : null,
            includeRemoved: input.includeRemoved,
          }),
        )
      : [],
  addSelector: (input, _context, { store }) =>
    store.write((s) => addSelector(s, { value: input.value, label: input.label, caseRef: input.caseRef })),
  removeSelector: (input, _context, { store }) => store.write((s) => removeSelector(s, input.selectorId)),
  listSelectorHits: (input, _context, { store }) =>
    store.exists()
      ? store.read((s) => selectorHits(s.db, { caseId: input.caseRef ? s.getCase(input.caseRef).id : null }))
      : [],
  getItemSelectorMarks: (input, _context, { store }) =>
    store.read((s) => itemSelectorMarks(s.db, s.getItemSummary(input.itemId).id)),
};
