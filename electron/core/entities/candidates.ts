/**
 * Numbers OCR read in Eastern Arabic or Persian digits are candidates, never entities, until an
 * investigator confirms one: the confirmation (or dismissal) is a custody entry on the item, and
 * the ledger is its only record. The entity deriver reads the confirmations back from the ledger,
 * so a confirmed value is an entity of the item (source `confirmed`) and survives `custos reindex`.
 */
import type {
  CandidateDecision,
  CandidateView,
  EntityType,
  PossibleMatch,
} from '../../../shared/entities.js';
import type { PicturePlace } from '../../../shared/ocr.js';
import { forgetDerived } from '../derive/derived-state-queries.js';
import { badInput } from '../errors.js';
import { digitsDifferent, withinOneDigit } from '../ocr/one-digit.js';
import { listSelectors } from '../selectors/selector-service.js';
import { selectorValue } from '../selectors/selector-values.js';
import type { ReadableDB } from '../store/database.js';
import type { EvidenceStore } from '../store/evidence-store.js';
import type { StoredOccurrence } from './entity-queries.js';

/** The custody actions of a decision on a candidate. */
export const CANDIDATE_ACTIONS = { confirm: 'entity.confirm', dismiss: 'entity.dismiss' } as const;

/**
 * SQL: the `entity_candidates` row aliased `k` has no decision in the ledger yet (a confirmed one
 * is an entity now, a dismissed one a misreading: neither is a possible match any more).
 */
export const UNDECIDED_CANDIDATE = `NOT EXISTS (
  SELECT 1 FROM ledger l WHERE l.subject = k.item_id
  AND l.action IN ('${CANDIDATE_ACTIONS.confirm}', '${CANDIDATE_ACTIONS.dismiss}')
  AND json_extract(l.details, '$.type') = k.type AND json_extract(l.details, '$.read') = k.value
  AND json_extract(l.details, '$.picture.sha256') = json_extract(k.picture, '$.sha256'))`;

/** Which candidate a decision is about: the item, the type, the value as read, and the picture. */
export interface CandidateRef {
  readonly itemId: string;
  readonly type: string;
  /** The value as OCR read it (normalised like an entity). */
  readonly read: string;
  readonly pictureSha256: string;
}

interface CandidateRow {
  itemId: string;
  caseId: string;
  type: EntityType;
  value: string;
  original: string;
  confidence: number;
  picture: string;
}

interface DecisionRow {
  seq: number;
  time: string;
  action: string;
  details: string;
  investigator: string;
}

/** An item's candidates, surest first, each with its possible matches and the decision taken on it. */
export function itemCandidates(db: ReadableDB, itemId: string, caseId: string): CandidateView[] {
  const rows = db
    .prepare(
      `SELECT item_id AS itemId, case_id AS caseId, type, value, original, confidence, picture
       FROM entity_candidates WHERE item_id = ? ORDER BY confidence DESC, value`,
    )
    .all(itemId) as CandidateRow[];
  return candidateViews(db, rows, caseId, decisionsOfItem(db, itemId));
}

/**
 * A case's candidates (for `custos entities`), surest first, each with its possible matches and
 * the decision taken on it: the same view as the item screen's, over every item of the case.
 */
export function candidatesOfCase(db: ReadableDB, caseId: string): CandidateView[] {
  const rows = db
    .prepare(
      `SELECT item_id AS itemId, case_id AS caseId, type, value, original, confidence, picture
       FROM entity_candidates WHERE case_id = ? ORDER BY confidence DESC, value, item_id`,
    )
    .all(caseId) as CandidateRow[];
  const decisions = new Map<string, CandidateDecision>();
  for (const itemId of new Set(rows.map((r) => r.itemId))) {
    for (const [key, decision] of decisionsOfItem(db, itemId))
      decisions.set(`${itemId}\u0000${key}`, decision);
  }
  return candidateViews(db, rows, caseId, decisions, (row) => `${row.itemId}\u0000`);
}

function candidateViews(
  db: ReadableDB,
  rows: readonly CandidateRow[],
  caseId: string,
  decisions: ReadonlyMap<string, CandidateDecision>,
  keyPrefix: (row: CandidateRow) => string = () => '',
): CandidateView[] {
  if (rows.length === 0) return [];
  const selectors = listSelectors(db, { caseId });
  return rows.map((row) => {
    const picture = JSON.parse(row.picture) as PicturePlace;
    return {
      type: row.type,
      value: row.value,
      original: row.original,
      confidence: row.confidence,
      itemId: row.itemId,
      picture,
      possibleMatches: possibleMatches(db, row, selectors),
      decision: decisions.get(keyPrefix(row) + decisionKey(row.type, row.value, picture.sha256)) ?? null,
    };
  });
}

/** Known entities (any case) and the case's active selectors that are the candidate or one digit from it. */
function possibleMatches(
  db: ReadableDB,
  row: CandidateRow,
  selectors: ReturnType<typeof listSelectors>,
): PossibleMatch[] {
  const variants = withinOneDigit(row.value);
  const entities = db
    .prepare(
      `SELECT e.type, e.value FROM entities e
       WHERE e.type = @type AND e.value IN (SELECT value FROM json_each(@variants))
       AND EXISTS (SELECT 1 FROM entity_occurrences o WHERE o.entity_id = e.id AND o.item_id <> @itemId)
       ORDER BY e.value`,
    )
    .all({ type: row.type, variants: JSON.stringify(variants), itemId: row.itemId }) as {
    type: string;
    value: string;
  }[];
  const near = new Set(variants);
  return [
    ...entities.map((e) => ({
      kind: 'entity' as const,
      type: e.type,
      value: e.value,
      digitsDifferent: digitsDifferent(e.value, row.value),
    })),
    ...selectors
      .filter((s) => near.has(s.value))
      .map((s) => ({
        kind: 'selector' as const,
        type: s.type,
        value: s.value,
        digitsDifferent: digitsDifferent(s.value, row.value),
        label: s.label,
      })),
  ].sort((a, b) => a.digitsDifferent - b.digitsDifferent);
}

function decisionKey(type: string, read: string, sha256: string): string {
  return `${type}\u0000${read}\u0000${sha256}`;
}

/** The latest decision on each candidate of an item, from its custody entries. */
function decisionsOfItem(db: ReadableDB, itemId: string): Map<string, CandidateDecision> {
  const rows = db
    .prepare(
      `SELECT l.seq, l.time, l.action, l.details, v.name AS investigator
       FROM ledger l JOIN investigators v ON v.id = l.investigator_id
       WHERE l.subject = ? AND l.action IN (?, ?) ORDER BY l.seq`,
    )
    .all(itemId, CANDIDATE_ACTIONS.confirm, CANDIDATE_ACTIONS.dismiss) as DecisionRow[];
  const decisions = new Map<string, CandidateDecision>();
  for (const row of rows) {
    const d = JSON.parse(row.details) as {
      type: string;
      read: string;
      picture: PicturePlace;
      value?: string;
    };
    decisions.set(decisionKey(d.type, d.read, d.picture.sha256), {
      decision: row.action === CANDIDATE_ACTIONS.confirm ? 'confirmed' : 'dismissed',
      value: row.action === CANDIDATE_ACTIONS.confirm ? (d.value ?? null) : null,
      seq: row.seq,
      time: row.time,
      investigator: row.investigator,
    });
  }
  return decisions;
}

/**
 * The values investigators confirmed from the item's candidates, as occurrences the entity deriver
 * stores (source `confirmed`, offset = the custody entry's seq, the picture it was read from).
 */
export function confirmedOccurrences(db: ReadableDB, itemId: string): StoredOccurrence[] {
  const rows = db
    .prepare('SELECT seq, details FROM ledger WHERE subject = ? AND action = ? ORDER BY seq')
    .all(itemId, CANDIDATE_ACTIONS.confirm) as { seq: number; details: string }[];
  return rows.map((row) => {
    const d = JSON.parse(row.details) as {
      type: EntityType;
      value: string;
      original: string;
      picture: PicturePlace;
    };
    return {
      type: d.type,
      value: d.value,
      source: 'confirmed',
      offset: row.seq,
      original: d.original,
      picture: d.picture,
    };
  });
}

/** Finds the candidate a decision names, refusing one already decided. */
function undecidedCandidate(db: ReadableDB, ref: CandidateRef): CandidateView {
  const item = db.prepare('SELECT case_id AS caseId FROM items WHERE id = ?').get(ref.itemId) as
    | { caseId: string }
    | undefined;
  if (!item) throw badInput(`no item ${ref.itemId}`);
  const candidate = itemCandidates(db, ref.itemId, item.caseId).find(
    (c) => c.type === ref.type && c.value === ref.read && c.picture.sha256 === ref.pictureSha256,
  );
  if (!candidate)
    throw badInput(
      `item ${ref.itemId} has no candidate ${ref.read} read in picture ${ref.pictureSha256.slice(0, 12)}; the item screen lists its candidates`,
    );
  if (candidate.decision)
    throw badInput(
      `the candidate ${ref.read} was already ${candidate.decision.decision} by ${candidate.decision.investigator} (custody entry ${candidate.decision.seq})`,
    );
  return candidate;
}

/** What the custody entry says of the reading a decision is about. */
function readingDetails(candidate: CandidateView) {
  return {
    type: candidate.type,
    read: candidate.value,
    original: candidate.original,
    confidence: candidate.confidence,
    picture: candidate.picture,
  };
}

/**
 * Confirms a candidate as `value` (typed by the investigator, normalised as entities are; it must
 * be of the candidate's type): one custody entry on the item saying who confirmed what from which
 * reading. The item's entities are derived again, so the value is an entity of the item once the
 * write's index pass is over.
 */
export function confirmCandidate(store: EvidenceStore, ref: CandidateRef, typed: string): CandidateView {
  const normalised = selectorValue(typed);
  return store.transaction((db) => {
    const candidate = undecidedCandidate(db, ref);
    if (normalised.type !== candidate.type)
      throw badInput(
        `"${typed.trim()}" is not a ${candidate.type} value; type it in full (a phone number with its country code, +98…)`,
      );
    const entry = store.appendInTransaction(db, {
      action: CANDIDATE_ACTIONS.confirm,
      caseId: caseOf(db, ref.itemId),
      subject: ref.itemId,
      details: { ...readingDetails(candidate), value: normalised.value },
    });
    forgetDerived(db, ref.itemId, 'entities');
    return { ...candidate, decision: decisionOf(entry, 'confirmed', normalised.value, store) };
  });
}

/** Dismisses a candidate (a misreading, not a number of the case): one custody entry on the item. */
export function dismissCandidate(store: EvidenceStore, ref: CandidateRef): CandidateView {
  return store.transaction((db) => {
    const candidate = undecidedCandidate(db, ref);
    const entry = store.appendInTransaction(db, {
      action: CANDIDATE_ACTIONS.dismiss,
      caseId: caseOf(db, ref.itemId),
      subject: ref.itemId,
      details: readingDetails(candidate),
    });
    return { ...candidate, decision: decisionOf(entry, 'dismissed', null, store) };
  });
}

function caseOf(db: ReadableDB, itemId: string): string {
  return db.prepare('SELECT case_id FROM items WHERE id = ?').pluck().get(itemId) as string;
}

function decisionOf(
  entry: { readonly seq: number; readonly time: string },
  decision: CandidateDecision['decision'],
  value: string | null,
  store: EvidenceStore,
): CandidateDecision {
  return {
    decision,
    value,
    seq: entry.seq,
    time: entry.time,
    investigator: store.requireInvestigator().name,
  };
}
