import {
  type CaseEntity,
  ENTITY_TYPES,
  type EntityMention,
  type EntityOccurrence,
  type EntitySource,
  type EntityType,
} from '../../../shared/entities.js';
import { cachedStatement, type ReadableDB, type WritableDB } from '../store/database.js';

/** One occurrence of an entity in an item, as the deriver stores it. */
export interface StoredOccurrence extends EntityOccurrence {
  readonly type: EntityType;
  readonly value: string;
  /** Read by OCR in Eastern digits: stored as a candidate, never as an entity. */
  readonly candidate?: boolean;
  /** The OCR line's confidence (candidates). */
  readonly confidence?: number;
}

/** Replaces an item's entity occurrences, and forgets entities no item mentions any more. */
export function replaceItemEntities(
  db: WritableDB,
  item: { readonly id: string; readonly caseId: string },
  occurrences: readonly StoredOccurrence[],
): void {
  const before = cachedStatement(
    db,
    'SELECT DISTINCT entity_id AS id FROM entity_occurrences WHERE item_id = ?',
  ).all(item.id) as {
    id: number;
  }[];
  cachedStatement(db, 'DELETE FROM entity_occurrences WHERE item_id = ?').run(item.id);
  cachedStatement(db, 'DELETE FROM entity_candidates WHERE item_id = ?').run(item.id);
  const addCandidate = cachedStatement(
    db,
    `INSERT INTO entity_candidates (item_id, case_id, type, value, original, confidence, picture)
     VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  );
  const addEntity = cachedStatement(
    db,
    'INSERT INTO entities (type, value) VALUES (?, ?) ON CONFLICT DO NOTHING',
  );
  const entityId = cachedStatement(db, 'SELECT id FROM entities WHERE type = ? AND value = ?').pluck();
  const addOccurrence = cachedStatement(
    db,
    `INSERT INTO entity_occurrences (entity_id, item_id, case_id, source, "offset", original, picture)
     VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  );
  for (const o of occurrences) {
    const picture = o.picture ? JSON.stringify(o.picture) : null;
    if (o.candidate) {
      addCandidate.run(item.id, item.caseId, o.type, o.value, o.original, o.confidence ?? 0, picture ?? '{}');
      continue;
    }
    addEntity.run(o.type, o.value);
    const id = entityId.get(o.type, o.value) as number;
    addOccurrence.run(id, item.id, item.caseId, o.source, o.offset, o.original, picture);
  }
  const orphan = cachedStatement(
    db,
    'DELETE FROM entities WHERE id = ? AND NOT EXISTS (SELECT 1 FROM entity_occurrences WHERE entity_id = ?)',
  );
  for (const { id } of before) orphan.run(id, id);
}

/** Forgets every entity (before a rebuild). */
export function clearEntities(db: WritableDB): void {
  db.exec('DELETE FROM entity_occurrences; DELETE FROM entities; DELETE FROM entity_candidates;');
}

interface OccurrenceRow {
  entityId: number;
  type: EntityType;
  value: string;
  itemId: string;
  source: EntitySource;
  offset: number;
  original: string;
  picture: string | null;
}

/** An occurrence as the API gives it: the picture's place parsed, present only for a picture. */
export function occurrenceOf(row: {
  source: EntitySource;
  offset: number;
  original: string;
  picture: string | null;
}): EntityOccurrence {
  const { source, offset, original } = row;
  return row.picture
    ? { source, offset, original, picture: JSON.parse(row.picture) }
    : { source, offset, original };
}

/** Occurrence rows grouped by entity, then by item, in the order the rows came. */
function groupByEntity(rows: readonly OccurrenceRow[]) {
  const entities = new Map<
    number,
    { type: EntityType; value: string; items: Map<string, EntityOccurrence[]> }
  >();
  for (const r of rows) {
    const entity = entities.get(r.entityId) ?? { type: r.type, value: r.value, items: new Map() };
    entities.set(r.entityId, entity);
    const list = entity.items.get(r.itemId) ?? [];
    list.push(occurrenceOf(r));
    entity.items.set(r.itemId, list);
  }
  return entities;
}

/**
 * The cases (other than one) that mention each of some entities, in one query (a case with
 * thousands of entities made thousands of queries). Each (entity, case) pair is one index probe:
 * reading every occurrence instead cost an export 28 ms per item for a phone number that 2,000
 * items mention 94,000 times (57 s of the report's 64 s).
 */
function otherCasesOf(db: ReadableDB, entityIds: readonly number[], exceptCaseId: string | null) {
  const rows = db
    .prepare(
      `SELECT ids.value AS entityId, c.id, c.number
       FROM json_each(@ids) ids
       JOIN cases c ON c.id IS NOT @except
       WHERE EXISTS (SELECT 1 FROM entity_occurrences o WHERE o.entity_id = ids.value AND o.case_id = c.id)
       ORDER BY c.number`,
    )
    .all({ ids: JSON.stringify(entityIds), except: exceptCaseId }) as {
    entityId: number;
    id: string;
    number: string;
  }[];
  const byEntity = new Map<number, { id: string; number: string }[]>();
  for (const { entityId, id, number } of rows) {
    const list = byEntity.get(entityId) ?? [];
    list.push({ id, number });
    byEntity.set(entityId, list);
  }
  return byEntity;
}

/** Occurrence rows as entities of a case (or an item), each with the other cases that mention it. */
function asCaseEntities(db: ReadableDB, rows: readonly OccurrenceRow[], caseId: string): CaseEntity[] {
  const grouped = groupByEntity(rows);
  const others = otherCasesOf(db, [...grouped.keys()], caseId);
  return [...grouped.entries()]
    .map(([id, e]) => {
      const otherCases = others.get(id) ?? [];
      return {
        type: e.type,
        value: e.value,
        items: [...e.items.entries()].map(([itemId, occurrences]) => ({ id: itemId, occurrences })),
        otherCases,
        crossCase: otherCases.length > 0,
      };
    })
    .sort((a, b) => typeRank(a.type) - typeRank(b.type) || b.items.length - a.items.length);
}

const OCCURRENCE_COLUMNS =
  'e.id AS entityId, e.type, e.value, o.item_id AS itemId, o.source, o."offset" AS "offset", o.original, o.picture';

/**
 * Every entity of a case, with the items it appears in and the other cases that mention it
 * (`crossCase`), ordered by type (as ENTITY_TYPES) then by how many items mention it.
 */
export function entitiesOfCase(db: ReadableDB, caseId: string, type?: EntityType): CaseEntity[] {
  const rows = db
    .prepare(
      `SELECT ${OCCURRENCE_COLUMNS} FROM entity_occurrences o JOIN entities e ON e.id = o.entity_id
       WHERE o.case_id = @caseId AND (@type IS NULL OR e.type = @type)
       ORDER BY e.type, e.value, o.item_id, o.source, o."offset"`,
    )
    .all({ caseId, type: type ?? null }) as OccurrenceRow[];
  return asCaseEntities(db, rows, caseId);
}

/** The entities of one item, each with the other cases that mention it. */
export function entitiesOfItem(db: ReadableDB, itemId: string, caseId: string): CaseEntity[] {
  const rows = db
    .prepare(
      `SELECT ${OCCURRENCE_COLUMNS} FROM entity_occurrences o JOIN entities e ON e.id = o.entity_id
       WHERE o.item_id = ? ORDER BY e.type, e.value, o.source, o."offset"`,
    )
    .all(itemId) as OccurrenceRow[];
  return asCaseEntities(db, rows, caseId);
}

/** An entity of an item as the report lists it: its type, value and how often the item mentions it. */
export interface ItemEntityCount {
  readonly type: EntityType;
  readonly value: string;
  readonly occurrences: number;
}

/**
 * The entities of each of some items with their counts, in one query for the lot, in the order
 * `entitiesOfItem` gives an item's (by type as ENTITY_TYPES, then by value): what the report
 * prints, without each occurrence or the other cases (one to three queries per item before).
 */
export function entityCountsOfItems(
  db: ReadableDB,
  itemIds: readonly string[],
): Map<string, ItemEntityCount[]> {
  const rows = cachedStatement(
    db,
    `SELECT o.item_id AS itemId, e.type, e.value, count(*) AS occurrences
     FROM entity_occurrences o JOIN entities e ON e.id = o.entity_id
     WHERE o.item_id IN (SELECT value FROM json_each(?))
     GROUP BY o.item_id, e.id ORDER BY o.item_id, e.type, e.value`,
  ).all(JSON.stringify(itemIds)) as (ItemEntityCount & { itemId: string })[];
  const byItem = new Map<string, ItemEntityCount[]>();
  for (const { itemId, type, value, occurrences } of rows) {
    const list = byItem.get(itemId);
    if (list) list.push({ type, value, occurrences });
    else byItem.set(itemId, [{ type, value, occurrences }]);
  }
  for (const list of byItem.values()) list.sort((a, b) => typeRank(a.type) - typeRank(b.type));
  return byItem;
}

function typeRank(type: EntityType): number {
  return ENTITY_TYPES.indexOf(type);
}

/** Every item (in any case) that mentions an entity of this value (of one type, or of any). */
export function itemsMentioning(db: ReadableDB, value: string, type?: EntityType): EntityMention[] {
  const rows = db
    .prepare(
      `SELECT e.type, e.value, o.item_id AS itemId, o.case_id AS caseId, c.number AS caseNumber,
              i.title, i.url, i.source, i.captured_at AS capturedAt,
              o.source AS occurrenceSource, o."offset" AS "offset", o.original, o.picture
       FROM entities e
       JOIN entity_occurrences o ON o.entity_id = e.id
       JOIN items i ON i.id = o.item_id
       JOIN cases c ON c.id = o.case_id
       WHERE e.value = @value AND (@type IS NULL OR e.type = @type)
       ORDER BY c.number, i.captured_at, i.id, o.source, o."offset"`,
    )
    .all({ value, type: type ?? null }) as (Omit<EntityMention, 'occurrences'> & {
    occurrenceSource: EntitySource;
    offset: number;
    original: string;
    picture: string | null;
  })[];
  const mentions = new Map<string, EntityMention & { occurrences: EntityOccurrence[] }>();
  for (const r of rows) {
    const key = `${r.type}\u0000${r.itemId}`;
    const mention = mentions.get(key) ?? {
      type: r.type,
      value: r.value,
      itemId: r.itemId,
      caseId: r.caseId,
      caseNumber: r.caseNumber,
      title: r.title,
      url: r.url,
      source: r.source,
      capturedAt: r.capturedAt,
      occurrences: [],
    };
    mention.occurrences.push(occurrenceOf({ ...r, source: r.occurrenceSource }));
    mentions.set(key, mention);
  }
  return [...mentions.values()];
}
