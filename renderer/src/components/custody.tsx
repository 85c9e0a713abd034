import type { LedgerEntry } from '../../../shared/domain.js';
import { type MessageKey, t } from '../i18n/i18n.js';

const ACTIONS: Record<string, MessageKey> = {
  'store.init': 'action.store.init',
  'case.create': 'action.case.create',
  'item.capture': 'action.item.capture',
  'item.import': 'action.item.import',
  'item.received': 'action.item.receive',
  'item.receive': 'action.item.receive',
  'item.note': 'action.item.note',
  'item.tag': 'action.item.tag',
  'bundle.export': 'action.bundle.export',
  'bundle.receive': 'action.bundle.receive',
  'timestamp.authorities': 'action.timestamp.authorities',
  'timestamp.granted': 'action.timestamp.granted',
};

/** A custody action in words ("Captured", "Note added"); unknown actions show their own name. */
export function actionLabel(action: string): string {
  const key = ACTIONS[action];
  return key ? t(key) : action;
}

/** The actions whose words contain `text` (case-insensitive), for a filter that reads as shown. */
export function actionsLabelled(text: string): string[] {
  const wanted = text.toLowerCase();
  return Object.keys(ACTIONS).filter((action) => actionLabel(action).toLowerCase().includes(wanted));
}

/** The detail of an entry worth a glance: the note's text, the tag, the bundle's hash. */
export function entrySummary(entry: LedgerEntry): string {
  const d = entry.details as Record<string, unknown>;
  for (const key of ['text', 'tag', 'title', 'source', 'file', 'number']) {
    const value = d[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  if (typeof d.digest === 'string') return d.digest;
  return '';
}
