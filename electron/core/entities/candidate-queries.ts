import type { EntityCandidate, EntityType, PossibleMatch } from '../../../shared/entities.js';
import { digitsDifferent, withinOneDigit } from '../ocr/one-digit.js';
import { listSelectors } from '../selectors/selector-service.js';
import type { ReadableDB } from '../store/database.js';

interface CandidateRow {
  type: EntityType;
  value: string;
  original: string;
  confidence: number;
  itemId: string;
  picture: string;
}

/**
 * The OCR candidates of a case (numbers read in Eastern Arabic or Persian digits, never entities),
 * surest first, each with its possible matches: the entities (of any case) and the active
 * selectors of the case whose value is the candidate's or one digit from it, closest first.
 */
export function candidatesOfCase(db: ReadableDB, caseId: string): EntityCandidate[] {
  const rows = db
    .prepare(
      `SELECT type, value, original, confidence, item_id AS itemId, picture
       FROM entity_candidates WHERE case_id = ? ORDER BY confidence DESC, value, item_id`,
    )
    .all(caseId) as CandidateRow[];
  if (rows.length === 0) return [];
  const selectors = listSelectors(db, { caseId }).filter((s) => s.type !== 'word');
  const entitiesNear = db.prepare(
    `SELECT DISTINCT type, value FROM entities
     WHERE value IN (SELECT value FROM json_each(?)) ORDER BY value, type`,
  );
  return rows.map((row) => {
    const known = entitiesNear.all(JSON.stringify(withinOneDigit(row.value))) as {
      type: string;
      value: string;
    }[];
    const matches: PossibleMatch[] = [
      ...known.map((e) => ({
        kind: 'entity' as const,
        type: e.type,
        value: e.value,
        digitsDifferent: digitsDifferent(e.value, row.value),
      })),
      ...selectors
        .filter((s) => digitsDifferent(s.value, row.value) <= 1)
        .map((s) => ({
          kind: 'selector' as const,
          type: s.type,
          value: s.value,
          digitsDifferent: digitsDifferent(s.value, row.value),
          label: s.label,
        })),
    ];
    return {
      type: row.type,
      value: row.value,
      original: row.original,
      confidence: row.confidence,
      itemId: row.itemId,
      picture: JSON.parse(row.picture),
      possibleMatches: matches.sort((a, b) => a.digitsDifferent - b.digitsDifferent),
    };
  });
}
