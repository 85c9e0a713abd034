/**
 * The custody ledger's actions in words, the one table the app's screens and the bundle report
 * both use, so that a court reads "Page captured" where the ledger says `item.capture`.
 */
export const CUSTODY_ACTION_NAMES: Readonly<Record<string, string>> = {
  'store.init': 'Workstation set up',
  'store.id': 'Store identity recorded',
  'case.create': 'Case created',
  'item.capture': 'Page captured',
  'item.import': 'File imported',
  'item.received': 'Item received',
  'item.receive': 'Item received',
  'item.note': 'Note added',
  'item.tag': 'Tag added',
  'item.untag': 'Tag removed',
  'bundle.export': 'Bundle exported',
  'bundle.receive': 'Bundle received',
  'wacz.export': 'Web archive (WACZ) exported',
  'remote.push': 'Case pushed to a remote',
  'remote.pull': 'Case pulled from a remote',
  'timestamp.authorities': 'Timestamp authorities set',
  'timestamp.granted': 'Timestamp granted',
  'timestamp.root-added': 'Timestamp root certificate trusted',
  'watch.add': 'Watch started',
  'watch.check': 'Watched page checked',
  'watch.remove': 'Watch stopped',
  'settings.capture': 'Capture settings changed',
  'store.restore': 'Database restored from a backup',
  'selector.add': 'Selector added',
  'selector.remove': 'Selector removed',
  'entity.confirm': 'Number read in a picture confirmed',
  'entity.dismiss': 'Number read in a picture dismissed',
};

/** An action in words; an action this version does not know shows its own name. */
export function custodyActionName(action: string): string {
  return CUSTODY_ACTION_NAMES[action] ?? action;
}
