/**
 * Plain query functions over the store's database: the database comes first, writable handles
 * are told apart by type. No business rules here; the EvidenceStore composes these.
 */
import type {
  Annotation,
  ArtifactRecord,
  ArtifactRole,
  CaptureRecord,
  Case,
  Investigator,
  ItemKind,
  ItemSummary,
} from '../../../shared/domain.js';
import { cachedStatement, type ReadableDB, type WritableDB } from './database.js';

interface InvestigatorRow {
  id: string;
  name: string;
  agency: string | null;
  badge: string | null;
  key_fingerprint: string;
  public_key_pem: string;
  created_at: string;
}

const toInvestigator = (row: InvestigatorRow): Investigator => ({
  id: row.id,
  name: row.name,
  agency: row.agency,
  badge: row.badge,
  keyFingerprint: row.key_fingerprint,
  publicKeyPem: row.public_key_pem,
  createdAt: row.created_at,
});

/** A setting's value, if set. */
export function getSetting(db: ReadableDB, key: string): string | undefined {
  return (
    cachedStatement(db, 'SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined
  )?.value;
}

/** Sets a setting. */
export function putSetting(db: WritableDB, key: string, value: string): void {
  db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  ).run(key, value);
}

/** Adds an investigator with their public key. */
export function insertInvestigator(db: WritableDB, investigator: Investigator): void {
  db.prepare(
    `INSERT INTO investigators (id, name, agency, badge, key_fingerprint, public_key_pem, created_at)
     VALUES (@id, @name, @agency, @badge, @keyFingerprint, @publicKeyPem, @createdAt)`,
  ).run(investigator);
}

/** An investigator by id. */
export function getInvestigator(db: ReadableDB, id: string): Investigator | undefined {
  const row = cachedStatement(db, 'SELECT * FROM investigators WHERE id = ?').get(id) as
    | InvestigatorRow
    | undefined;
  return row && toInvestigator(row);
}

/** Every investigator known to this store (their keys sign its ledger). */
export function listInvestigators(db: ReadableDB): Investigator[] {
  return (db.prepare('SELECT * FROM investigators ORDER BY created_at').all() as InvestigatorRow[]).map(
    toInvestigator,
  );
}

interface CaseRow {
  id: string;
  number: string;
  title: string;
  description: string | null;
  created_at: string;
  created_by: string;
}

const toCase = (row: CaseRow): Case => ({
  id: row.id,
  number: row.number,
  title: row.title,
  description: row.description,
  createdAt: row.created_at,
  createdBy: row.created_by,
});

/** Adds a case. */
export function insertCase(db: WritableDB, value: Case): void {
  db.prepare(
    `INSERT INTO cases (id, number, title, description, created_at, created_by)
     VALUES (@id, @number, @title, @description, @createdAt, @createdBy)`,
  ).run(value);
}

/** A case by its id or its number. */
export function findCase(db: ReadableDB, ref: string): Case | undefined {
  const row = cachedStatement(db, 'SELECT * FROM cases WHERE id = ? OR number = ? LIMIT 1').get(ref, ref) as
    | CaseRow
    | undefined;
  return row && toCase(row);
}

/** All cases, newest first. */
export function listCases(db: ReadableDB): Case[] {
  return (db.prepare('SELECT * FROM cases ORDER BY created_at DESC, number').all() as CaseRow[]).map(toCase);
}

/** How many items a case holds. */
export function countItems(db: ReadableDB, caseId?: string): number {
  const row = (
    caseId === undefined
      ? db.prepare('SELECT count(*) AS n FROM items').get()
      : db.prepare('SELECT count(*) AS n FROM items WHERE case_id = ?').get(caseId)
  ) as { n: number };
  return row.n;
}

interface ItemRow {
  id: string;
  case_id: string;
  kind: ItemKind;
  source: string;
  url: string | null;
  title: string | null;
  captured_at: string;
  record: string;
  digest: string;
  created_seq: number;
}

interface ArtifactRow {
  item_id: string;
  position: number;
  role: ArtifactRole;
  name: string;
  media_type: string;
  size: number;
  sha256: string;
}

/** An item's row as stored, with its capture record text. */
export interface StoredItem {
  readonly id: string;
  readonly caseId: string;
  readonly kind: ItemKind;
  readonly source: string;
  readonly url: string | null;
  readonly title: string | null;
  readonly capturedAt: string;
  /** The canonical JSON of the capture record, exactly as stored. */
  readonly recordJson: string;
  readonly digest: string;
  readonly createdSeq: number;
}

const toStoredItem = (row: ItemRow): StoredItem => ({
  id: row.id,
  caseId: row.case_id,
  kind: row.kind,
  source: row.source,
  url: row.url,
  title: row.title,
  capturedAt: row.captured_at,
  recordJson: row.record,
  digest: row.digest,
  createdSeq: row.created_seq,
});

const toArtifact = (row: ArtifactRow): ArtifactRecord => ({
  role: row.role,
  name: row.name,
  mediaType: row.media_type,
  size: row.size,
  sha256: row.sha256,
});

/** Adds an item and its artifacts, in the order of its capture record. */
export function insertItem(
  db: WritableDB,
  item: {
    record: CaptureRecord;
    recordJson: string;
    digest: string;
    url: string | null;
    title: string | null;
    createdSeq: number;
  },
): void {
  const { record } = item;
  cachedStatement(
    db,
    `INSERT INTO items (id, case_id, kind, source, url, title, captured_at, record, digest, created_seq)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    record.itemId,
    record.caseId,
    record.kind,
    record.source,
    item.url,
    item.title,
    record.capturedAt,
    item.recordJson,
    item.digest,
    item.createdSeq,
  );
  const insertArtifact = cachedStatement(
    db,
    `INSERT INTO artifacts (item_id, position, role, name, media_type, size, sha256)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  record.artifacts.forEach((artifact, position) => {
    insertArtifact.run(
      record.itemId,
      position,
      artifact.role,
      artifact.name,
      artifact.mediaType,
      artifact.size,
      artifact.sha256,
    );
  });
}

/** An item by id (or by a unique prefix of at least 8 characters of its id). */
export function findItem(db: ReadableDB, ref: string): StoredItem | undefined {
  const exact = cachedStatement(db, 'SELECT * FROM items WHERE id = ?').get(ref) as ItemRow | undefined;
  if (exact) return toStoredItem(exact);
  if (ref.length < 8 || /[%_]/.test(ref)) return undefined;
  const matches = db.prepare('SELECT * FROM items WHERE id LIKE ? LIMIT 2').all(`${ref}%`) as ItemRow[];
  return matches.length === 1 && matches[0] ? toStoredItem(matches[0]) : undefined;
}

/** Every item (all, or of one case) in capture order. */
export function* iterateItems(db: ReadableDB, caseId?: string): Generator<StoredItem> {
  const rows = (
    caseId === undefined
      ? db.prepare('SELECT * FROM items ORDER BY captured_at, id').iterate()
      : db.prepare('SELECT * FROM items WHERE case_id = ? ORDER BY captured_at, id').iterate(caseId)
  ) as Iterable<ItemRow>;
  for (const row of rows) yield toStoredItem(row);
}

/** An item's artifact rows, in order. */
/** Who captured (or imported) each item of a case, as its signed capture record names them. */
export function capturersOfCase(
  db: ReadableDB,
  caseId: string,
): Map<string, { readonly name: string; readonly keyFingerprint: string }> {
  const rows = db
    .prepare(
      `SELECT id, json_extract(record, '$.investigator.name') AS name,
              json_extract(record, '$.investigator.keyFingerprint') AS keyFingerprint
       FROM items WHERE case_id = ?`,
    )
    .all(caseId) as { id: string; name: string | null; keyFingerprint: string | null }[];
  return new Map(rows.map((r) => [r.id, { name: r.name ?? '', keyFingerprint: r.keyFingerprint ?? '' }]));
}

export function listArtifacts(db: ReadableDB, itemId: string): ArtifactRecord[] {
  return (
    cachedStatement(db, 'SELECT * FROM artifacts WHERE item_id = ? ORDER BY position').all(
      itemId,
    ) as ArtifactRow[]
  ).map(toArtifact);
}

/** Every distinct blob the artifacts reference, with the size they record. */
export function* iterateReferencedBlobs(db: ReadableDB): Generator<{ sha256: string; size: number }> {
  yield* db
    .prepare('SELECT sha256, max(size) AS size FROM artifacts GROUP BY sha256 ORDER BY sha256')
    .iterate() as Iterable<{
    sha256: string;
    size: number;
  }>;
}

/** Items whose artifacts include this blob. */
export function itemsReferencingBlob(db: ReadableDB, sha256: string): string[] {
  return (
    db.prepare('SELECT DISTINCT item_id FROM artifacts WHERE sha256 = ?').all(sha256) as { item_id: string }[]
  ).map((row) => row.item_id);
}

/**
 * SQL condition: annotation `alias` is a tag still on its item, i.e. no later `untag` annotation of
 * the same text (a removed tag stays in the history; one given again is on again).
 */
export function liveTagCondition(alias: string): string {
  return `${alias}.kind = 'tag' AND NOT EXISTS (SELECT 1 FROM annotations u WHERE u.item_id = ${alias}.item_id
    AND u.kind = 'untag' AND u.text = ${alias}.text AND u.id > ${alias}.id)`;
}

interface AnnotationRow {
  id: number;
  item_id: string;
  kind: Annotation['kind'];
  text: string;
  created_at: string;
  investigator_id: string;
  ledger_seq: number;
}

/** Adds a note or tag. */
export function insertAnnotation(
  db: WritableDB,
  annotation: Omit<Annotation, 'id'> & { ledgerSeq: number },
): number {
  return Number(
    db
      .prepare(
        `INSERT INTO annotations (item_id, kind, text, created_at, investigator_id, ledger_seq)
         VALUES (@itemId, @kind, @text, @createdAt, @investigatorId, @ledgerSeq)`,
      )
      .run(annotation).lastInsertRowid,
  );
}

/** An item's notes and tags, oldest first. */
export function listAnnotations(db: ReadableDB, itemId: string): (Annotation & { ledgerSeq: number })[] {
  return (
    db.prepare('SELECT * FROM annotations WHERE item_id = ? ORDER BY id').all(itemId) as AnnotationRow[]
  ).map((row) => ({
    id: row.id,
    itemId: row.item_id,
    kind: row.kind,
    text: row.text,
    createdAt: row.created_at,
    investigatorId: row.investigator_id,
    ledgerSeq: row.ledger_seq,
  }));
}

/** Every annotation with the ledger entry that records it (for the audit's cross-check). */
export function* iterateAnnotations(db: ReadableDB): Generator<AnnotationRow> {
  yield* db.prepare('SELECT * FROM annotations ORDER BY id').iterate() as Iterable<AnnotationRow>;
}

/** The tags on an item now (removed ones left out), distinct, in the order first given. */
export function listTags(db: ReadableDB, itemId: string): string[] {
  return (
    cachedStatement(
      db,
      `SELECT a.text FROM annotations a WHERE a.item_id = ? AND ${liveTagCondition('a')}
       GROUP BY a.text ORDER BY min(a.id)`,
    ).all(itemId) as {
      text: string;
    }[]
  ).map((row) => row.text);
}

/** The summary of an item printed by `items`, `item show` and `capture --json`. */
export function summarizeItem(db: ReadableDB, item: StoredItem): ItemSummary {
  return {
    id: item.id,
    caseId: item.caseId,
    kind: item.kind,
    url: item.url,
    source: item.source,
    title: item.title,
    capturedAt: item.capturedAt,
    digest: item.digest,
    artifacts: listArtifacts(db, item.id),
    tags: listTags(db, item.id),
  };
}
