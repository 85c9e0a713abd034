/**
 * Custody actions in words, one table for every screen and report that shows the log: `watch.add`
 * reads "Watch started". Plain data: runs in Node, in Electron and in the browser. An action not
 * in the table (from a newer Custos) is shown as it is recorded.
 */

/** Each custody action Custos records, and how a person reads it. */
export const ACTION_NAMES: Readonly<Record<string, string>> = {
  'store.init': 'Workstation set up',
  'case.create': 'Case created',
  'item.capture': 'Page captured',
  'item.import': 'File imported',
  'item.receive': 'Item received',
  'item.received': 'Item received',
  'item.note': 'Note added',
  'item.tag': 'Tag added',
  'item.untag': 'Tag removed',
  'bundle.export': 'Bundle exported',
  'bundle.receive': 'Bundle received',
  'timestamp.authorities': 'Timestamp authorities set',
  'timestamp.granted': 'Timestamp granted',
  'timestamp.root-added': 'Timestamp root certificate trusted',
  'watch.add': 'Watch started',
  'watch.check': 'Watched page checked',
  'watch.remove': 'Watch stopped',
  'settings.capture': 'Capture settings changed',
};

/** A custody action in words ("Page captured", "Watch started"); an unknown one as recorded. */
export function actionLabel(action: string): string {
  return ACTION_NAMES[action] ?? action;
}
