/**
 * Selectors: adding, removing and listing them. Each change commits with its custody entry in
 * one transaction; a removal is recorded beside the selector, whose history stays.
 */
import { randomUUID } from 'node:crypto';
import type { Selector } from '../../../shared/selectors.js';
import { badInput, errorSaying } from '../errors.js';
import type { ReadableDB } from '../store/database.js';
import type { EvidenceStore } from '../store/evidence-store.js';
import { selectorValue } from './selector-values.js';

/** What `selector add` asks for. */
export interface SelectorAddInput {
  readonly value: string;
  readonly label?: string | null;
  /** A case id or number; absent: every case. */
  readonly caseRef?: string | null;
}

interface SelectorRow {
  id: string;
  case_id: string | null;
  case_number: string | null;
  type: string;
  value: string;
  raw: string;
  label: string | null;
  created_at: string;
  removed_at: string | null;
}

const SELECT = `
  SELECT s.id, s.case_id, c.number AS case_number, s.type, s.value, s.raw, s.label, s.created_at,
         r.removed_at
  FROM selectors s LEFT JOIN cases c ON c.id = s.case_id
  LEFT JOIN selector_removals r ON r.selector_id = s.id`;

function asSelector(r: SelectorRow): Selector {
  return {
    id: r.id,
    caseId: r.case_id,
    caseNumber: r.case_number,
    type: r.type,
    value: r.value,
    raw: r.raw,
    label: r.label,
    createdAt: r.created_at,
    removedAt: r.removed_at,
  };
}

/** Selectors, oldest first: those of one case and those of every case (or all), removed ones only when asked. */
export function listSelectors(
  db: ReadableDB,
  options: { readonly caseId?: string | null; readonly includeRemoved?: boolean } = {},
): Selector[] {
  const rows = db
    .prepare(
      `${SELECT} WHERE (@caseId IS NULL OR s.case_id IS NULL OR s.case_id = @caseId)
       AND (@removed = 1 OR r.removed_at IS NULL) ORDER BY s.ledger_seq`,
    )
    .all({ caseId: options.caseId ?? null, removed: options.includeRemoved ? 1 : 0 }) as SelectorRow[];
  return rows.map(asSelector);
}

/** Adds a selector (refused when the same value is already active for the same case or for all). */
export function addSelector(store: EvidenceStore, input: SelectorAddInput): Selector {
  const { type, value } = selectorValue(input.value);
  const label = input.label?.trim() || null;
  const investigator = store.requireInvestigator();
  const caseRow = input.caseRef ? store.getCase(input.caseRef) : null;
  const id = randomUUID();
  store.transaction((db) => {
    const same = listSelectors(db, { caseId: caseRow?.id ?? null }).find(
      (s) => s.value === value && s.caseId === (caseRow?.id ?? null),
    );
    if (same)
      throw errorSaying(
        'bad-input',
        (next) => `${value} is already a selector (${same.id}); ${next.selectors} shows them`,
      );
    const entry = store.appendInTransaction(db, {
      action: 'selector.add',
      caseId: caseRow?.id ?? null,
      subject: id,
      details: { type, value, raw: input.value.trim(), label },
    });
    db.prepare(
      `INSERT INTO selectors (id, case_id, type, value, raw, label, created_at, created_by, ledger_seq)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      id,
      caseRow?.id ?? null,
      type,
      value,
      input.value.trim(),
      label,
      entry.time,
      investigator.id,
      entry.seq,
    );
  });
  return requireSelector(store.db, id);
}

/** Removes an active selector, named by its id (or a unique id prefix) or its value. */
export function removeSelector(store: EvidenceStore, ref: string): Selector {
  const investigator = store.requireInvestigator();
  const selector = resolveSelector(store.db, ref);
  store.transaction((db) => {
    const entry = store.appendInTransaction(db, {
      action: 'selector.remove',
      caseId: selector.caseId,
      subject: selector.id,
      details: { type: selector.type, value: selector.value, label: selector.label },
    });
    db.prepare(
      'INSERT INTO selector_removals (selector_id, removed_at, investigator_id, ledger_seq) VALUES (?, ?, ?, ?)',
    ).run(selector.id, entry.time, investigator.id, entry.seq);
  });
  return requireSelector(store.db, selector.id);
}

function requireSelector(db: ReadableDB, id: string): Selector {
  const row = db.prepare(`${SELECT} WHERE s.id = ?`).get(id) as SelectorRow | undefined;
  if (!row) throw errorSaying('bad-input', (next) => `no selector ${id}; ${next.selectors} shows them`);
  return asSelector(row);
}

function resolveSelector(db: ReadableDB, ref: string): Selector {
  const active = listSelectors(db);
  const trimmed = ref.trim();
  const byId = active.filter((s) => trimmed.length >= 8 && s.id.startsWith(trimmed.toLowerCase()));
  let matches = byId;
  if (matches.length === 0) {
    let value: string | null = null;
    try {
      value = selectorValue(trimmed).value;
    } catch {
      value = null;
    }
    matches = active.filter((s) => s.value === value || s.raw === trimmed);
  }
  if (matches.length === 0)
    throw errorSaying('bad-input', (next) => `no active selector ${ref}; ${next.selectors} shows them`);
  if (matches.length > 1)
    throw badInput(
      `${ref} names ${matches.length} selectors (${matches.map((s) => s.id).join(', ')}); give its id`,
    );
  return matches[0]!;
}
