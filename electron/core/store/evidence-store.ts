import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type {
  Annotation,
  ArtifactRecord,
  AuditReport,
  CaptureRecord,
  Case,
  Investigator,
  ItemKind,
  ItemSummary,
  LedgerEntry,
  Progress,
} from '../../../shared/domain.js';
import {
  type CaseCreateInput,
  caseCreateSchema,
  describeSchemaError,
  type InvestigatorProfile,
  investigatorProfileSchema,
  noteSchema,
  tagSchema,
} from '../../../shared/schemas.js';
import { TOOL_NAME, TOOL_VERSION } from '../../../shared/version.js';
import { badInput, type CustosError, operationFailure } from '../errors.js';
import { runAudit } from './audit.js';
import { BlobStore } from './blob-store.js';
import { canonicalDigest, canonicalJson } from './canonical-json.js';
import { openReadableDatabase, openWritableDatabase, type ReadableDB, type WritableDB } from './database.js';
import { appendLedgerEntry, iterateLedger, type LedgerInput, localTimeZone } from './ledger.js';
import { SCHEMA_VERSION } from './migrations/index.js';
import * as q from './queries.js';
import {
  generateSigningKey,
  type KeyProtection,
  type KeyProtector,
  keyProtection,
  loadSigner,
  type Signer,
  savePrivateKey,
  setKeyProtection,
} from './signing-key.js';
import { type StoreLayout, storeLayout } from './store-layout.js';
import { WriterLock } from './writer-lock.js';

const WORKSTATION_INVESTIGATOR = 'workstation.investigator';

/** An item about to be committed: its blobs are already in the blob store. */
export interface NewItem {
  readonly caseId: string;
  readonly kind: ItemKind;
  readonly source: string;
  readonly url?: string | null;
  readonly title?: string | null;
  readonly capturedAt?: Date;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly artifacts: readonly ArtifactRecord[];
  /** The ledger action recorded (default `item.<kind>`). */
  readonly action?: string;
}

/** An item with everything `item show` displays. */
export interface ItemDetail extends ItemSummary {
  readonly record: CaptureRecord;
  readonly notes: readonly {
    readonly text: string;
    readonly createdAt: string;
    readonly investigatorId: string;
  }[];
  readonly custody: readonly LedgerEntry[];
}

/**
 * The evidence store: one folder holding the SQLite database, the content-addressed blobs and the
 * workstation's signing key. Every change to evidence goes through here, and each one commits
 * together with its custody entry in one transaction (DESIGN.md invariants 2 and 4).
 */
export class EvidenceStore {
  readonly blobs: BlobStore;
  private signerCache: Signer | undefined;

  private constructor(
    readonly layout: StoreLayout,
    private readonly database: ReadableDB,
    private readonly lock: WriterLock | null,
    private readonly keyProtector?: KeyProtector,
  ) {
    this.blobs = new BlobStore(layout.blobs, layout.blobTemp);
  }

  /**
   * Opens a store to change it: takes the writer lock (one writing process per store). With
   * `create`, makes the folder and database if they are missing (for `init`).
   */
  static openForWriting(
    dir: string,
    options: { create?: boolean; keyProtector?: KeyProtector } = {},
  ): EvidenceStore {
    const layout = storeLayout(dir);
    if (!options.create) requireExistingStore(layout);
    fs.mkdirSync(layout.root, { recursive: true, mode: 0o700 });
    fs.mkdirSync(layout.blobs, { recursive: true });
    const lock = WriterLock.acquire(layout.writerLock, layout.writerLockInfo);
    try {
      return new EvidenceStore(layout, openWritableDatabase(layout.database), lock, options.keyProtector);
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  /** Opens a store to read it; no lock, and nothing can be written through this handle. */
  static openForReading(dir: string): EvidenceStore {
    const layout = storeLayout(dir);
    requireExistingStore(layout);
    const db = openReadableDatabase(layout.database);
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version !== SCHEMA_VERSION) {
      db.close();
      throw operationFailure(
        version > SCHEMA_VERSION
          ? `this store's database is schema version ${version}, newer than this Custos understands (${SCHEMA_VERSION}); update Custos to open it`
          : `this store's database is schema version ${version}; run any write command (such as \`custos init\`) once to upgrade it`,
      );
    }
    return new EvidenceStore(layout, db, null);
  }

  /** Closes the database and releases the writer lock. */
  close(): void {
    if (this.database.open) this.database.close();
    this.lock?.release();
  }

  private get writable(): WritableDB {
    if (!this.lock) throw new Error('this store was opened for reading');
    return this.database as WritableDB;
  }

  /** The read-only view of the database, for services that query it (search, export). */
  get db(): ReadableDB {
    return this.database;
  }

  /** The investigator of this workstation, or undefined before `init`. */
  get investigator(): Investigator | undefined {
    const id = q.getSetting(this.database, WORKSTATION_INVESTIGATOR);
    return id === undefined ? undefined : q.getInvestigator(this.database, id);
  }

  /** The investigator of this workstation; a clear error before `init`. */
  requireInvestigator(): Investigator {
    const investigator = this.investigator;
    if (!investigator) throw notInitialised(this.layout);
    return investigator;
  }

  /** The signer of this workstation's custody entries. */
  signer(): Signer {
    this.signerCache ??= loadSigner(this.layout.keys, this.requireInvestigator(), this.keyProtector);
    return this.signerCache;
  }

  /** How the private key is kept: a file any Custos program signs with, or sealed by the app's keychain. */
  keyProtection(): KeyProtection {
    return keyProtection(this.layout.keys, this.requireInvestigator().keyFingerprint);
  }

  /** Seals the key with the app's keychain (`keychain`) or turns it back into a file (`file`); crash-safe. */
  setKeyProtection(wanted: 'file' | 'keychain'): KeyProtection {
    this.writable; // only the writer may change the key
    if (!this.keyProtector) {
      throw badInput('key protection is set in the Custos desktop app, which has the OS keychain');
    }
    const now = setKeyProtection(
      this.layout.keys,
      this.requireInvestigator().keyFingerprint,
      wanted,
      this.keyProtector,
    );
    this.signerCache = undefined;
    return now;
  }

  /**
   * Creates this workstation's signing key and investigator identity. Safe to repeat: a second
   * run with the same identity changes nothing; with another identity it is refused.
   */
  init(profile: InvestigatorProfile): { investigator: Investigator; created: boolean } {
    const parsed = investigatorProfileSchema.safeParse(profile);
    if (!parsed.success) throw badInput(describeSchemaError(parsed.error));
    const wanted = {
      name: parsed.data.name,
      agency: parsed.data.agency ?? null,
      badge: parsed.data.badge ?? null,
    };
    const existing = this.investigator;
    if (existing) {
      if (
        existing.name === wanted.name &&
        existing.agency === wanted.agency &&
        existing.badge === wanted.badge
      ) {
        this.signer(); // proves the private key is still there and readable
        return { investigator: existing, created: false };
      }
      throw badInput(
        `this store is already initialised for ${existing.name}${existing.agency ? ` (${existing.agency})` : ''}; its identity signs every custody entry and cannot be changed. Use another --store for another investigator`,
      );
    }
    const key = generateSigningKey();
    savePrivateKey(this.layout.keys, key.fingerprint, key.privateKeyPem);
    const investigator: Investigator = {
      id: randomUUID(),
      ...wanted,
      keyFingerprint: key.fingerprint,
      publicKeyPem: key.publicKeyPem,
      createdAt: new Date().toISOString(),
    };
    const db = this.writable;
    db.transaction(() => {
      q.insertInvestigator(db, investigator);
      q.putSetting(db, WORKSTATION_INVESTIGATOR, investigator.id);
      if (q.getSetting(db, 'store.id') === undefined) q.putSetting(db, 'store.id', randomUUID());
      this.signerCache = undefined;
      this.appendInTransaction(db, {
        action: 'store.init',
        caseId: null,
        subject: investigator.id,
        details: {
          investigator: wanted,
          keyFingerprint: key.fingerprint,
          publicKeyPem: key.publicKeyPem,
          tool: `${TOOL_NAME} ${TOOL_VERSION}`,
        },
      });
    }).immediate();
    return { investigator, created: true };
  }

  /** Creates a case; refuses an empty title or a number already in use. */
  createCase(input: CaseCreateInput): Case {
    const parsed = caseCreateSchema.safeParse(input);
    if (!parsed.success) throw badInput(describeSchemaError(parsed.error));
    const investigator = this.requireInvestigator();
    const db = this.writable;
    const created: Case = {
      id: randomUUID(),
      number: parsed.data.number,
      title: parsed.data.title,
      description: parsed.data.description ?? null,
      createdAt: new Date().toISOString(),
      createdBy: investigator.id,
    };
    db.transaction(() => {
      if (q.findCase(db, created.number)) {
        throw badInput(`a case numbered ${created.number} already exists; \`custos case list\` shows cases`);
      }
      q.insertCase(db, created);
      this.appendInTransaction(db, {
        action: 'case.create',
        caseId: created.id,
        subject: created.id,
        details: { number: created.number, title: created.title, description: created.description },
      });
    }).immediate();
    return created;
  }

  /** All cases, newest first. */
  listCases(): Case[] {
    return q.listCases(this.database);
  }

  /** A case by id or number; a clear error when there is none. */
  getCase(ref: string): Case {
    const found = q.findCase(this.database, ref);
    if (!found) throw badInput(`case ${ref} not found; \`custos case list\` shows cases`);
    return found;
  }

  /** How many items a case (or the whole store) holds. */
  countItems(caseId?: string): number {
    return q.countItems(this.database, caseId);
  }

  /**
   * Commits an item whose artifacts are already stored as blobs: the item, its artifacts and its
   * custody entry in one transaction (invariant 4). Returns the item as `capture --json` prints it.
   */
  addItem(input: NewItem): ItemSummary {
    const investigator = this.requireInvestigator();
    const caseRow = this.getCase(input.caseId);
    for (const artifact of input.artifacts) {
      if (!fs.existsSync(this.blobs.pathOf(artifact.sha256))) {
        throw new Error(
          `artifact ${artifact.name} (${artifact.sha256}) must be stored before its item is committed`,
        );
      }
    }
    const record: CaptureRecord = {
      recordVersion: 1,
      itemId: randomUUID(),
      caseId: caseRow.id,
      kind: input.kind,
      source: input.source,
      capturedAt: (input.capturedAt ?? new Date()).toISOString(),
      timeZone: localTimeZone(),
      investigator: {
        id: investigator.id,
        name: investigator.name,
        keyFingerprint: investigator.keyFingerprint,
      },
      metadata: input.metadata,
      artifacts: input.artifacts.map((a) => ({
        role: a.role,
        name: a.name,
        mediaType: a.mediaType,
        size: a.size,
        sha256: a.sha256,
      })),
    };
    const recordJson = canonicalJson(record);
    const digest = canonicalDigest(record);
    const db = this.writable;
    db.transaction(() => {
      const entry = this.appendInTransaction(db, {
        action: input.action ?? `item.${input.kind}`,
        caseId: caseRow.id,
        subject: record.itemId,
        details: {
          digest,
          source: record.source,
          artifacts: record.artifacts.map((a) => ({ role: a.role, sha256: a.sha256, size: a.size })),
        },
      });
      q.insertItem(db, {
        record,
        recordJson,
        digest,
        url: input.url ?? null,
        title: input.title ?? null,
        createdSeq: entry.seq,
      });
    }).immediate();
    return this.getItemSummary(record.itemId);
  }

  /** An item's stored row; a clear error when there is none. */
  private requireItem(ref: string): q.StoredItem {
    const item = q.findItem(this.database, ref);
    if (!item) throw badInput(`item ${ref} not found; \`custos items --case CASE\` lists items`);
    return item;
  }

  /** An item as `items` lists it. */
  getItemSummary(ref: string): ItemSummary {
    return q.summarizeItem(this.database, this.requireItem(ref));
  }

  /** Items of a case in capture order. */
  listItems(caseRef: string): ItemSummary[] {
    const caseRow = this.getCase(caseRef);
    return Array.from(q.iterateItems(this.database, caseRow.id), (item) =>
      q.summarizeItem(this.database, item),
    );
  }

  /** An item with its record, notes and custody history. */
  getItem(ref: string): ItemDetail {
    const item = this.requireItem(ref);
    return {
      ...q.summarizeItem(this.database, item),
      record: JSON.parse(item.recordJson) as CaptureRecord,
      notes: q
        .listAnnotations(this.database, item.id)
        .filter((a) => a.kind === 'note')
        .map(({ text, createdAt, investigatorId }) => ({ text, createdAt, investigatorId })),
      custody: [...iterateLedger(this.database, { subject: item.id })],
    };
  }

  /** Adds a note to an item (a custody entry; the original is untouched). */
  addNote(itemRef: string, text: string): LedgerEntry {
    const parsed = noteSchema.safeParse({ itemId: itemRef, text });
    if (!parsed.success) throw badInput(describeSchemaError(parsed.error));
    return this.annotate(parsed.data.itemId, 'note', parsed.data.text);
  }

  /** Tags an item (a custody entry; the original is untouched). */
  addTag(itemRef: string, tag: string): LedgerEntry {
    return this.tagItems([itemRef], tag)[0] as LedgerEntry;
  }

  /** Removes a tag from an item: an `item.untag` custody entry; the history keeps the tag. */
  removeTag(itemRef: string, tag: string): LedgerEntry {
    return this.tagItems([itemRef], tag, { remove: true })[0] as LedgerEntry;
  }

  /**
   * Tags several items (or removes the tag from them) in one transaction, one custody entry per
   * item: all or none. Removing a tag an item does not have is bad input, and nothing is written.
   */
  tagItems(itemRefs: readonly string[], tag: string, options: { remove?: boolean } = {}): LedgerEntry[] {
    const parsed = itemRefs.map((itemId) => {
      const result = tagSchema.safeParse({ itemId, tag });
      if (!result.success) throw badInput(describeSchemaError(result.error));
      return result.data;
    });
    if (parsed.length === 0) throw badInput('choose at least one item to tag');
    const items = [...new Map(parsed.map((p) => [p.itemId, this.requireItem(p.itemId)])).values()];
    const text = parsed[0]?.tag ?? tag;
    if (options.remove) {
      for (const item of items) {
        const tags = q.listTags(this.database, item.id);
        if (!tags.includes(text)) {
          throw badInput(
            `item ${item.id} has no tag ${JSON.stringify(text)}${tags.length > 0 ? ` (its tags: ${tags.join(', ')})` : ''}; nothing was changed`,
          );
        }
      }
    }
    const kind = options.remove ? 'untag' : 'tag';
    return this.transaction((db) => items.map((item) => this.annotateInTransaction(db, item, kind, text)));
  }

  private annotate(itemRef: string, kind: 'note' | 'tag', text: string): LedgerEntry {
    const item = this.requireItem(itemRef);
    return this.transaction((db) => this.annotateInTransaction(db, item, kind, text));
  }

  /** Appends an annotation and the custody entry that records it (`item.note`, `item.tag`, `item.untag`). */
  private annotateInTransaction(
    db: WritableDB,
    item: q.StoredItem,
    kind: Annotation['kind'],
    text: string,
  ): LedgerEntry {
    const investigator = this.requireInvestigator();
    const entry = this.appendInTransaction(db, {
      action: `item.${kind}`,
      caseId: item.caseId,
      subject: item.id,
      details: { [kind === 'note' ? 'text' : 'tag']: text },
    });
    q.insertAnnotation(db, {
      itemId: item.id,
      kind,
      text,
      createdAt: entry.time,
      investigatorId: investigator.id,
      ledgerSeq: entry.seq,
    });
    return entry;
  }

  /** The custody ledger, whole or of one case, in order. */
  ledger(caseRef?: string): LedgerEntry[] {
    const caseId = caseRef === undefined ? undefined : this.getCase(caseRef).id;
    return [...iterateLedger(this.database, caseId === undefined ? {} : { caseId })];
  }

  /**
   * Appends a custody entry for an action done elsewhere in the same transaction. Services that
   * write their own tables (bundle, timestamp) call it inside `transaction`.
   */
  appendInTransaction(db: WritableDB, input: LedgerInput): LedgerEntry {
    return appendLedgerEntry(db, this.signer(), input);
  }

  /** Runs `work` in one write transaction (BEGIN IMMEDIATE): everything in it commits or nothing. */
  transaction<T>(work: (db: WritableDB) => T): T {
    const db = this.writable;
    return db.transaction(() => work(db)).immediate();
  }

  /** Re-hashes and re-checks everything (DESIGN.md invariant 5). */
  audit(onProgress?: (progress: Progress) => void): Promise<AuditReport> {
    return runAudit(this.database, this.blobs, onProgress);
  }
}

function requireExistingStore(layout: StoreLayout): void {
  if (!fs.existsSync(layout.database)) throw notInitialised(layout);
}

function notInitialised(layout: StoreLayout): CustosError {
  return badInput(
    `no Custos store is initialised at ${layout.root}; run \`custos init --investigator NAME\` first (or pass --store DIR)`,
  );
}
