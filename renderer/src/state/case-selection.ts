/**
 * The evidence list's selection of each case while the app runs, so that other screens (Export,
 * reached by Alt+4 as well as by the list's button) act on what the investigator selected.
 */
const selections = new Map<string, readonly string[]>();

/** Keeps the list's selection of a case (item ids, in no particular order). */
export function rememberSelection(caseId: string, itemIds: Iterable<string>): void {
  selections.set(caseId, [...itemIds]);
}

/** The items selected in a case's evidence list; none before the list was used. */
export function selectionOf(caseId: string): readonly string[] {
  return selections.get(caseId) ?? [];
}
