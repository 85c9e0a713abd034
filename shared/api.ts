/**
 * The one API the UI calls, declared once. Electron IPC (the app) and the loopback transport
 * (the browser harness) both carry exactly these methods; each handler parses its input with the
 * method's schema before any work, and results cross as `ApiResult` values, never as thrown errors.
 */
import { z } from 'zod';
import { type CaptureSettings, captureSettingsSchema } from './capture-settings.js';
import type {
  AuditReport,
  CaptureRecord,
  Case,
  Investigator,
  ItemKind,
  ItemSummary,
  LedgerEntry,
} from './domain.js';
import { type CandidateView, type CaseEntity, ENTITY_TYPES, type EntityMention } from './entities.js';
import type { NearDuplicateGroup, NearDuplicateMember, SimilarImage, SimilarImages } from './media.js';
import type { ItemPictureText } from './ocr.js';
import type { ReplayView } from './replay.js';
import { caseCreateSchema, investigatorProfileSchema, personaNameSchema } from './schemas.js';
import type { ItemSelectorMarks, Selector, SelectorHit } from './selectors.js';
import type { BundleVerification } from './verification.js';
import type { WatchState, WatchView } from './watch.js';

const caseRef = z.object({ caseRef: z.string().trim().min(1, 'choose a case') });
const itemRef = z.object({ itemId: z.string().trim().min(1, 'choose an item') });
const filePath = z.string().trim().min(1, 'choose a file');
/**
 * What to verify (`custos verify FILE [--expect-signer FPR] [--tsa-roots FILE…]`): the file, the
 * fingerprint the recipient was given by another channel, and the PEM roots of time-stamping
 * authorities the recipient trusts (their own files, never taken from what is verified).
 */
const verifyRequest = z.object({
  path: filePath,
  expectSigner: z.string().trim().min(1).nullish(),
  tsaRoots: z.array(z.string().trim().min(1, 'choose a root certificate file')).max(32).optional(),
});
/** An OCR candidate: the item, its type, the value as read, and the picture it was read in. */
const candidateRef = itemRef.extend({
  type: z.enum(ENTITY_TYPES),
  read: z.string().trim().min(1).max(200),
  pictureSha256: z.string().regex(/^[0-9a-f]{64}$/, 'choose a picture'),
});

/** The columns the evidence list sorts by. */
export const ITEM_SORT_FIELDS = ['capturedAt', 'title', 'kind', 'source'] as const;
export type ItemSortField = (typeof ITEM_SORT_FIELDS)[number];

/** At most this many rows per page of the evidence list. */
export const MAX_ITEM_PAGE = 1000;

/** At most this many hits per page of search results. */
export const MAX_SEARCH_PAGE = 200;

/**
 * The limits of a video of the live view: it stops by itself when the WebM would pass `maxBytes`
 * or when it holds `maxSeconds` of video, whichever comes first.
 */
export const LIVE_VIDEO_LIMITS = {
  maxBytes: 200_000_000,
  /** The smallest size limit: room for the file's headers and a few frames. */
  minBytes: 64 * 1024,
  maxSeconds: 30 * 60,
  /** The longest duration limit. */
  longestSeconds: 24 * 60 * 60,
} as const;

/** A rectangle in CSS pixels of the live view, from its top-left corner. */
export const viewRectSchema = z.object({
  x: z.number().finite().min(-100_000).max(100_000),
  y: z.number().finite().min(-100_000).max(100_000),
  width: z.number().finite().positive('drag a rectangle over the page').max(100_000),
  height: z.number().finite().positive('drag a rectangle over the page').max(100_000),
});

export type ViewRect = z.infer<typeof viewRectSchema>;

/** What "capture" takes from the live view: the page with every artifact, the visible area, or a region. */
export const LIVE_CAPTURE_KINDS = ['page', 'visible', 'region'] as const;

/** Input schema of every API method. */
export const apiInputSchemas = {
  startStoreUpgrade: z.object({ again: z.boolean().optional() }),
  getStoreFolder: z.object({}),
  takeStoreNotices: z.object({}),
  getProfile: z.object({}),
  initProfile: investigatorProfileSchema,
  listCases: z.object({}),
  createCase: caseCreateSchema,
  getCase: caseRef,
  listItems: caseRef,
  queryItems: caseRef.extend({
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(MAX_ITEM_PAGE).default(200),
    sort: z.enum(ITEM_SORT_FIELDS).default('capturedAt'),
    descending: z.boolean().default(false),
    search: z.string().trim().max(500).default(''),
    kind: z.enum(['capture', 'import', 'received']).nullish(),
    tag: z.string().trim().max(100).nullish(),
  }),
  listCaseTags: caseRef,
  searchItems: z.object({
    query: z.string().max(1000),
    caseRef: z.string().trim().min(1).nullish(),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(MAX_SEARCH_PAGE).default(20),
  }),
  getItem: itemRef,
  getArtifact: itemRef.extend({ sha256: z.string().regex(/^[0-9a-f]{64}$/, 'choose an artifact') }),
  getThumbnail: itemRef,
  /** Whether the item can be replayed from its WARC inside the app, and the replay frame's address. */
  getReplay: itemRef,
  getThumbnails: z.object({ itemIds: z.array(z.string().trim().min(1)).min(1).max(500) }),
  /**
   * Waits until the trusted timestamps asked for these items after their capture or import have
   * been answered (or given up on, within the authorities' timeouts), then says where each stands.
   */
  waitForTimestamps: z.object({ itemIds: z.array(z.string().trim().min(1)).min(1).max(1000) }),
  addNote: itemRef.extend({ text: z.string() }),
  addTag: itemRef.extend({ tag: z.string() }),
  /** Tags the items (or removes the tag from them): one custody entry per item, all or none. */
  tagItems: z.object({
    itemIds: z.array(z.string().trim().min(1)).min(1, 'select at least one item').max(10_000),
    tag: z.string(),
    remove: z.boolean().default(false),
  }),
  getLedger: z.object({ caseRef: z.string().trim().min(1).optional() }),
  queryLedger: caseRef.extend({
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(MAX_ITEM_PAGE).default(200),
    descending: z.boolean().default(false),
    search: z.string().trim().max(500).default(''),
    actions: z.array(z.string().trim().min(1).max(100)).max(100).default([]),
  }),
  auditStore: z.object({}),
  importFiles: caseRef.extend({ paths: z.array(filePath).min(1, 'choose at least one file').max(10_000) }),
  captureUrls: caseRef.extend({
    urls: z.array(z.string().trim().min(1)).min(1, 'enter at least one address').max(1000),
    persona: z.string().trim().min(1).nullish(),
  }),
  /** Captures what the desktop app's live view shows (the browser harness has no live view). */
  captureLive: z.discriminatedUnion('what', [
    caseRef.extend({ what: z.literal('page') }),
    caseRef.extend({ what: z.literal('visible') }),
    caseRef.extend({ what: z.literal('region'), region: viewRectSchema }),
    /** Records a video of the view until `stopLiveVideo` or a limit; answers with the stored item. */
    caseRef.extend({
      what: z.literal('video'),
      maxBytes: z
        .number()
        .int('the video size limit must be a whole number of bytes')
        .min(
          LIVE_VIDEO_LIMITS.minBytes,
          `the video size limit must be at least ${LIVE_VIDEO_LIMITS.minBytes} bytes (64 KiB)`,
        )
        .max(Number.MAX_SAFE_INTEGER)
        .optional(),
      maxSeconds: z
        .number()
        .positive('the video duration limit must be more than 0 seconds')
        .max(LIVE_VIDEO_LIMITS.longestSeconds, 'the video duration limit must be at most 24 hours')
        .optional(),
    }),
  ]),
  /** Stops the video of the live view that `captureLive` is recording (which then stores it). */
  stopLiveVideo: z.object({}),
  exportBundle: caseRef.extend({
    out: z.string().trim().min(1, 'choose where to save the bundle'),
    itemIds: z.array(z.string().trim().min(1)).optional(),
  }),
  verifyBundle: verifyRequest,
  /** The case's page captures (or some of them) as one signed WACZ (`custos export --format wacz`). */
  exportWacz: caseRef.extend({
    out: z.string().trim().min(1, 'choose where to save the WACZ'),
    itemIds: z.array(z.string().trim().min(1)).optional(),
  }),
  /** Checks a WACZ as `custos verify FILE.wacz` does: resources, digest, signature, token. */
  verifyWacz: verifyRequest,
  receiveBundle: z.object({ path: filePath, expectSigner: z.string().trim().min(1).nullish() }),
  /** The S3 remotes this store knows (`custos remote list`). */
  listRemotes: z.object({}),
  /** Uploads what a remote lacks of this workstation's part of a case (`custos push`). */
  pushCase: caseRef.extend({ remote: z.string().trim().min(1).nullish() }),
  /** Takes the other workstations' items of a case from a remote, each checked first (`custos pull`). */
  pullCase: caseRef.extend({ remote: z.string().trim().min(1).nullish() }),
  getSettings: z.object({}),
  getKeyProtection: z.object({}),
  /** Seals the signing key with the desktop app's OS keychain (`protect`), or turns it back into a file. */
  setKeyProtection: z.object({ protect: z.boolean() }),
  /** Replaces the store's capture defaults (a custody entry naming what changed). */
  setCaptureSettings: captureSettingsSchema,
  setAuthorities: z.object({ urls: z.array(z.string().trim().min(1)).max(20) }),
  /**
   * Sends every pending trusted-timestamp request to the store's authorities again, as
   * `custos timestamp` does (the core's `requestPending`), and says what became of them.
   */
  requestTimestamps: z.object({}),
  getSimilarImages: itemRef,
  getNearDuplicateGroups: caseRef,
  listWatches: z.object({
    caseRef: z.string().trim().min(1).nullish(),
    includeRemoved: z.boolean().default(false),
  }),
  addWatch: caseRef.extend({
    url: z.string().trim().min(1, 'enter the address to watch'),
    every: z.string().trim().min(1).default('6h'),
  }),
  removeWatch: z.object({ watchId: z.string().trim().min(1, 'choose a watch') }),
  runWatches: z.object({ watchId: z.string().trim().min(1).nullish() }),
  listPersonas: z.object({}),
  createPersona: z.object({ name: personaNameSchema }),
  listCaseEntities: caseRef.extend({ type: z.enum(ENTITY_TYPES).nullish() }),
  findEntityMentions: z.object({
    value: z.string().trim().min(1, 'enter a phone number, account, IBAN or address').max(500),
    type: z.enum(ENTITY_TYPES).nullish(),
  }),
  getItemEntities: itemRef,
  exportCaseEntities: caseRef.extend({ format: z.enum(['csv', 'graphml']) }),
  /** The selectors of a case and those of every case (all when no case is given). */
  listSelectors: z.object({
    caseRef: z.string().trim().min(1).nullish(),
    includeRemoved: z.boolean().default(false),
  }),
  /** Adds a selector (a custody entry) for one case, or for every case when none is given. */
  addSelector: z.object({
    value: z.string().trim().min(1, 'enter a phone number, account, IBAN, wallet or word').max(200),
    label: z.string().trim().max(200).nullish(),
    caseRef: z.string().trim().min(1).nullish(),
  }),
  /** Removes a selector (a custody entry; its history stays). */
  removeSelector: z.object({ selectorId: z.string().trim().min(1, 'choose a selector') }),
  /** Every item holding an active selector, newest first (of one case, or all). */
  listSelectorHits: z.object({ caseRef: z.string().trim().min(1).nullish() }),
  /** Where an item holds the active selectors: ranges of its text, boxes on its pictures. */
  getItemSelectorMarks: itemRef,
  /** The text recognised in an item's pictures, line by line with each line's box. */
  getItemPictureText: itemRef,
  /** A picture of a captured page (an image of its WARC), for showing its recognised text. */
  getPageImage: itemRef.extend({ sha256: z.string().regex(/^[0-9a-f]{64}$/, 'choose a picture') }),
  /** An item's OCR candidates (numbers read in Eastern digits), with possible matches and decisions. */
  getItemCandidates: itemRef,
  /** Confirms a candidate as a value (a custody entry); the value becomes an entity of the item. */
  confirmCandidate: candidateRef.extend({
    value: z.string().trim().min(1, 'enter the number as it really is').max(200),
  }),
  /** Dismisses a candidate as a misreading (a custody entry). */
  dismissCandidate: candidateRef,
} as const;

/** What a "check now" run did, one row per watch checked. */
export interface WatchRunOutcome {
  readonly checks: readonly {
    readonly watchId: string;
    readonly url: string;
    readonly state: WatchState;
    readonly previousState: WatchState | null;
    readonly itemId: string | null;
    readonly error: string | null;
  }[];
}

/** A case as the start screen lists it. */
export interface CaseListEntry extends Case {
  readonly itemCount: number;
}

/** Whether an RFC 3161 authority has vouched for an item's digest. */
export type TimestampStatus = 'granted' | 'pending' | 'none';

/** One row of the evidence list: light enough to page through 100,000 of them. */
export interface ItemRow {
  readonly id: string;
  readonly kind: ItemKind;
  readonly title: string | null;
  readonly url: string | null;
  readonly source: string;
  readonly capturedAt: string;
  readonly digest: string;
  readonly tags: readonly string[];
  readonly timestamp: TimestampStatus;
  /** The item has an image (screenshot or imported picture) to show as a thumbnail. */
  readonly hasImage: boolean;
  /** Where the list's search text matched, when the list is searched. */
  readonly snippet?: SearchSnippet | null;
}

/** The parts of an item a search snippet can come from. */
export type SearchSnippetField = 'body' | 'notes' | 'tags' | 'title' | 'url';

/**
 * A piece of an item's original text (page text, note, tag, title or address) where a search
 * matched: `marks` are [start, end) ranges of `text` (UTF-16 offsets) holding the matched words.
 */
export interface SearchSnippet {
  readonly field: SearchSnippetField;
  readonly text: string;
  readonly marks: readonly (readonly [number, number])[];
}

/** One item found by a search, best first. */
export interface SearchHit {
  readonly id: string;
  readonly caseId: string;
  readonly caseNumber: string;
  readonly kind: ItemKind;
  readonly title: string | null;
  readonly url: string | null;
  readonly source: string;
  readonly capturedAt: string;
  /** 1 for the best match. */
  readonly rank: number;
  /** BM25 relevance (higher is better). */
  readonly score: number;
  readonly snippet: SearchSnippet | null;
}

/** One page of search results. */
export interface SearchPage {
  readonly query: string;
  /** How many items match (all pages), or the bound where counting stopped (`totalCapped`). */
  readonly total: number;
  /**
   * More than `total` items match: counting stopped there, and the hits are the best-ranked
   * `total` of all the matches (more words narrow the search).
   */
  readonly totalCapped: boolean;
  readonly offset: number;
  readonly hits: readonly SearchHit[];
}

/** One page of the evidence list. */
export interface ItemPage {
  /** How many items match the filter (all pages). */
  readonly total: number;
  /**
   * Present when the search matched more items than this: the list then holds only this many
   * of them, those that match best (before the kind and tag filters); more words narrow it.
   */
  readonly matchCap?: number;
  readonly offset: number;
  readonly rows: readonly ItemRow[];
}

/** A custody entry as the log screen shows it: what its subject is, and the item it opens. */
export interface LedgerRow extends LedgerEntry {
  /** The item's title (or address, or file name), the watched address, the case number; null for others. */
  readonly subjectLabel: string | null;
  /** The item the entry is about (a watch check: the capture it made), to open from the log. */
  readonly itemId: string | null;
}

/** One page of a case's custody log. */
export interface LedgerPage {
  /** How many entries match (all pages). */
  readonly total: number;
  readonly offset: number;
  readonly rows: readonly LedgerRow[];
}

/** A timestamp token over an item, as the detail screen shows it. */
export interface ItemTimestamp {
  readonly status: 'granted' | 'pending';
  readonly authority: string | null;
  readonly time: string | null;
  readonly lastError: string | null;
}

/** Everything the item screen shows. */
export interface ItemDetailView extends ItemSummary {
  readonly record: CaptureRecord;
  /** The web capture record (the `metadata` artifact) parsed, when the item has one. */
  readonly webRecord: Readonly<Record<string, unknown>> | null;
  readonly notes: readonly {
    readonly text: string;
    readonly createdAt: string;
    readonly investigatorId: string;
  }[];
  readonly custody: readonly LedgerEntry[];
  readonly timestamps: readonly ItemTimestamp[];
}

/** An artifact's bytes, for the viewer. */
export interface ArtifactData {
  readonly mediaType: string;
  readonly size: number;
  readonly base64: string;
}

/** One entry of a batch (an address, a file) that made no item, and why: nothing was stored for it. */
export interface EntryFailure {
  /** The entry as it was given (the pasted line, the path). */
  readonly subject: string;
  readonly message: string;
}

/**
 * A stored capture that may not show the content asked for: the server's error status (4xx, 5xx)
 * or a removal notice or login wall on the page (attributed to the site that showed it).
 */
export interface CaptureWarning {
  readonly itemId: string;
  readonly httpStatus: number | null;
  readonly notice: { readonly text: string; readonly site: string; readonly kind: string } | null;
}

/** Items made by an import or a capture, and what could not be done (nothing stored for those). */
export interface BatchOutcome {
  readonly items: readonly ItemSummary[];
  readonly failures: readonly EntryFailure[];
  /** Captures stored that may not show the content (an error status, a removal notice). */
  readonly warnings?: readonly CaptureWarning[];
  /** True when the user cancelled: the remaining subjects were not attempted. */
  readonly cancelled: boolean;
}

/** What an export wrote. */
export interface ExportOutcome {
  readonly file: string;
  /** SHA-256 of the bundle file: for the paper custody form. */
  readonly sha256: string;
  readonly size: number;
  readonly items: readonly string[];
  readonly signer: string;
  readonly ledgerSeq: number;
}

/** The result of verifying a bundle (the same fields as `custos verify --json`), declared in verification.ts. */
export type { BundleVerification };

/** The digest's RFC 3161 token as verifying a WACZ found it. */
export interface WaczTimestamp {
  readonly tsa: string;
  readonly tsaUrl: string;
  readonly time: string | null;
  readonly valid: boolean;
  readonly trusted: boolean;
  readonly problem: string | null;
}

/** The result of verifying a WACZ (the same fields as `custos verify FILE.wacz --json`). */
export interface WaczVerification {
  readonly valid: boolean;
  readonly format: 'wacz';
  readonly waczVersion: string | null;
  /** The workstation key that vouches for the signing key (custos/signer.json), else the SHA-256 of the signing key's SPKI. */
  readonly signer: string | null;
  readonly signerChecked: boolean;
  /** The ECDSA key of `signedData` (SPKI DER, base64). */
  readonly publicKey: string | null;
  readonly created: string | null;
  readonly software: string | null;
  readonly datapackageSha256: string | null;
  readonly case: { readonly id: string; readonly number: string; readonly title: string } | null;
  readonly pages: number;
  readonly resources: number;
  readonly timestamp: WaczTimestamp | null;
  readonly problems: readonly { readonly path: string; readonly problem: string }[];
  readonly warnings: readonly { readonly path: string; readonly problem: string }[];
}

/** What receiving a bundle did. */
export interface ReceiveOutcome {
  readonly alreadyReceived: boolean;
  readonly fileSha256: string;
  readonly signer: string;
  readonly case: { readonly id: string; readonly number: string; readonly title: string };
  readonly items: readonly { readonly id: string; readonly digest: string; readonly status: string }[];
  readonly ledgerSeq: number;
}

/** An S3 remote as the app shows it (never a credential). */
export interface RemoteView {
  readonly name: string;
  readonly url: string;
  readonly endpoint: string | null;
  readonly region: string;
}

/** What a push sent (`changed` false: the remote held everything, nothing was written). */
export interface PushOutcome {
  readonly remote: string;
  readonly items: number;
  readonly blobsUploaded: number;
  readonly bytesUploaded: number;
  readonly changed: boolean;
  readonly objectLock: boolean;
  readonly ledgerSeq: number | null;
}

/** What a pull took, workstation by workstation (the investigator who pushed, their key, the items). */
export interface PullOutcome {
  readonly remote: string;
  readonly case: { readonly id: string; readonly number: string; readonly title: string };
  readonly segments: readonly {
    readonly investigator: string;
    readonly signer: string;
    readonly new: boolean;
    readonly items: readonly { readonly id: string; readonly digest: string; readonly status: string }[];
  }[];
}

/** The workstation's settings as the settings screen shows them. */
export interface SettingsView {
  readonly storeDir: string;
  /** Where export suggests saving bundles. */
  readonly exportDir: string;
  readonly authorities: readonly string[];
  readonly personas: readonly string[];
  /** The store's capture defaults (Settings edits them), and the tallest page captured whole. */
  readonly capture: CaptureSettings & { readonly maxPageHeight: number };
}

/** What asking the authorities again did: requests granted, requests still pending, and why (each reason once). */
export interface TimestampRequestOutcome {
  readonly granted: number;
  readonly pending: number;
  /** Why the pending ones were not granted, in the window's words. */
  readonly reasons: readonly string[];
}

/** "Similar images" of an item as the item screen shows them: each with a thumbnail of its picture. */
export interface SimilarImagesView extends SimilarImages {
  readonly similar: readonly (SimilarImage & { readonly thumbnail: string | null })[];
}

/** A group of near-duplicate pictures as the case's duplicates screen shows it. */
export interface NearDuplicateGroupView extends NearDuplicateGroup {
  readonly members: readonly (NearDuplicateMember & { readonly thumbnail: string | null })[];
}

/**
 * How the signing key is kept. `file`: a PEM file the app and the `custos` command both sign with;
 * `keychain`: sealed by the desktop app's OS keychain, so only the app signs (the command still
 * reads, audits and verifies).
 */
export interface KeyProtectionView {
  readonly state: 'file' | 'keychain' | 'missing' | 'uninitialised';
  /** Whether this program can switch it (the app, with a working keychain). */
  readonly available: boolean;
  /** Why not, when it cannot. */
  readonly reason: string | null;
}

/** How far a video of the live view got (when it was asked to stop). */
export interface LiveVideoProgress {
  readonly frames: number;
  /** The size the WebM will have (an upper bound). */
  readonly bytes: number;
  readonly seconds: number;
}

/**
 * A store an older Custos wrote, being brought to this version's schema: every call that reads or
 * writes the store waits for it (a migration over every item takes tens of seconds in a large store).
 */
export interface StoreUpgrade {
  readonly fromVersion: number;
  readonly toVersion: number;
  /**
   * Present while the upgrade waits for another Custos process that holds the store's writer lock
   * (asked again every second): who it is (pid, host, command, since when), or null when unknown.
   */
  readonly waiting?: { readonly holder: string | null };
  /**
   * Present when the upgrade failed (nothing reads or writes the store until it is asked again,
   * with `again`): why.
   */
  readonly failed?: StoreUpgradeFailure;
}

/** Why the upgrade of a store an older Custos wrote failed. */
export interface StoreUpgradeFailure {
  /** What happened and what to do, for a person. */
  readonly reason: string;
  /** The raw error (SQLite's or the system's code and message), for whoever investigates. */
  readonly details: string;
  /**
   * Present when the migration had committed (the store is at `toVersion`) and a step after it
   * failed: which. Absent, the store is exactly as it was before the upgrade.
   */
  readonly unfinished?: UpgradeStepAfterCommit;
  /**
   * Present when Custos could not tell whether the migration committed (the database could not be
   * read after the failure, or was at neither version): the store may or may not be updated.
   */
  readonly appliedUnknown?: true;
}

/** A step of the upgrade after its migration committed: the store files' owner-only modes, the database's close. */
export type UpgradeStepAfterCommit = 'file-modes' | 'closing';

/** Output type of every API method. */
export interface ApiOutputs {
  startStoreUpgrade: StoreUpgrade | null;
  /** The store's folder, read from nothing in it: what the window names when the store cannot be opened. */
  getStoreFolder: { readonly storeDir: string };
  /**
   * What opening the store for writing settled since last asked (a `custos restore` killed before
   * it was recorded, finished or undone), each in the words the command prints; once each.
   */
  takeStoreNotices: readonly string[];
  getProfile: Investigator | null;
  initProfile: Investigator;
  listCases: CaseListEntry[];
  createCase: Case;
  getCase: Case;
  listItems: ItemSummary[];
  queryItems: ItemPage;
  listCaseTags: string[];
  searchItems: SearchPage;
  getItem: ItemDetailView;
  getArtifact: ArtifactData;
  getThumbnail: { readonly dataUri: string | null };
  getReplay: ReplayView;
  /** Thumbnails of many items in one call (the list asks for a screenful at once), by item id. */
  getThumbnails: Readonly<Record<string, string | null>>;
  /** Each item's timestamp status once the requests made after its commit have settled, by item id. */
  waitForTimestamps: Readonly<Record<string, TimestampStatus>>;
  addNote: LedgerEntry;
  addTag: LedgerEntry;
  tagItems: LedgerEntry[];
  getLedger: LedgerEntry[];
  /** A page of a case's custody log, oldest or newest first, optionally filtered. */
  queryLedger: LedgerPage;
  auditStore: AuditReport;
  importFiles: BatchOutcome;
  captureUrls: BatchOutcome;
  captureLive: ItemSummary;
  stopLiveVideo: LiveVideoProgress;
  exportBundle: ExportOutcome;
  verifyBundle: BundleVerification;
  exportWacz: ExportOutcome;
  verifyWacz: WaczVerification;
  receiveBundle: ReceiveOutcome;
  listRemotes: RemoteView[];
  pushCase: PushOutcome;
  pullCase: PullOutcome;
  getSettings: SettingsView;
  setAuthorities: string[];
  requestTimestamps: TimestampRequestOutcome;
  setCaptureSettings: CaptureSettings;
  /** The items (any case) whose pictures are near-duplicates of this item's, nearest first, with thumbnails. */
  getSimilarImages: SimilarImagesView;
  /** The groups of near-duplicate pictures that hold an item of this case (members from any case). */
  getNearDuplicateGroups: NearDuplicateGroupView[];
  getKeyProtection: KeyProtectionView;
  setKeyProtection: KeyProtectionView;
  /** Watched URLs (of a case, or all) with their state history. */
  listWatches: WatchView[];
  addWatch: WatchView;
  removeWatch: WatchView;
  /** Checks one watch now (`watchId`), or every active watch. */
  runWatches: WatchRunOutcome;
  /** The store's personas, by name. */
  listPersonas: string[];
  /** Makes a persona (a new, logged-out browser profile); returns every persona, by name. */
  createPersona: string[];
  /** The entities of a case (derived data), each with its items and the other cases that mention it. */
  listCaseEntities: CaseEntity[];
  /** Every item, in any case, that mentions one entity (typed as written, or clicked). */
  findEntityMentions: EntityMention[];
  /** The entities found in one item, each with the other cases that mention it. */
  getItemEntities: CaseEntity[];
  /** The case's entity–item links written as CSV or GraphML into the export folder. */
  exportCaseEntities: { readonly file: string };
  listSelectors: Selector[];
  addSelector: Selector;
  removeSelector: Selector;
  listSelectorHits: SelectorHit[];
  getItemSelectorMarks: ItemSelectorMarks;
  getItemPictureText: ItemPictureText;
  getPageImage: ArtifactData;
  getItemCandidates: CandidateView[];
  /** The candidate with its decision (the custody entry's seq, time and investigator). */
  confirmCandidate: CandidateView;
  dismissCandidate: CandidateView;
}

/** The names of the API's methods. */
export type ApiMethod = keyof typeof apiInputSchemas & keyof ApiOutputs;

/** What a caller passes to a method. */
export type ApiInput<M extends ApiMethod> = z.input<(typeof apiInputSchemas)[M]>;

/** What a handler receives once the schema has parsed the input (defaults filled in). */
export type ApiParsedInput<M extends ApiMethod> = z.output<(typeof apiInputSchemas)[M]>;

/** Error kinds: the service's own (`bad-input`, `integrity`, `failure`) plus `cancelled`. */
export type ApiErrorKind = 'bad-input' | 'integrity' | 'failure' | 'cancelled';

/** A method's result as it crosses a transport: a value, or an error a person can act on. */
export type ApiResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: ApiFailure };

/** A failed call: its kind and its message; a verification's refusal also lists each problem apart. */
export interface ApiFailure {
  readonly kind: string;
  readonly message: string;
  /** What the verification said before the list, and each problem (the message names them too). */
  readonly found?: {
    readonly summary: string;
    readonly problems: readonly { readonly path: string; readonly problem: string }[];
  };
  /**
   * What a check found (an integrity failure of the store's open, say), without the message's
   * advice, so that a window can say what to do in its own words; `details` (SQLite's text) apart.
   */
  readonly finding?: { readonly what: string; readonly details?: string };
}

/** The answer to a call the user cancelled: the same from the service and from every transport. */
export function cancelledResult(): ApiResult<never> {
  return { ok: false, error: { kind: 'cancelled', message: 'cancelled; nothing more was done' } };
}

/**
 * Progress of long work (capture, batch, import, export, audit, verify). `subject` names the URL
 * or file a batch is on; `stage` what is happening to it.
 */
export interface ApiProgress {
  readonly done: number;
  readonly total: number;
  readonly subject?: string;
  readonly stage?: string;
  /** In a batch: the entries that failed so far (the latest 200), each with its reason. */
  readonly failures?: readonly EntryFailure[];
  /**
   * The work began again from its start, and `done` with it: the audit, overtaken by a restore,
   * audits the restored store again. Set on every report from then on, for the window to say why.
   */
  readonly restarted?: true;
}

/** The part of AbortSignal a transport needs (shared/ has no DOM or Node types). */
export interface CancelSignal {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** How a caller follows and stops long work. */
export interface CallOptions {
  readonly onProgress?: (progress: ApiProgress) => void;
  readonly signal?: CancelSignal;
}

/** One method of `window.custos`. */
export type ApiCall<M extends ApiMethod> = (
  input: ApiInput<M>,
  options?: CallOptions,
) => Promise<ApiResult<ApiOutputs[M]>>;

/** `window.custos` as the renderer sees it: one async function per method. */
export type CustosApi = { [M in ApiMethod]: ApiCall<M> };

/** Every method name, for transports that register them all. */
export const API_METHODS = Object.keys(apiInputSchemas) as ApiMethod[];

/**
 * An object with one entry per name, each made by `make`: how a transport builds its table of
 * methods. TypeScript cannot relate each name to its own entry across a table, so `make` is
 * written generic over the name (and checked there), and the table is typed here, once.
 */
export function methodTable<K extends string, T extends { readonly [P in K]: unknown }>(
  names: readonly K[],
  make: (name: K) => unknown,
): T {
  return Object.fromEntries(names.map((name) => [name, make(name)])) as T;
}

/** Whether a name is one of the API's methods (transports check names from the wire). */
export function isApiMethod(name: string): name is ApiMethod {
  return Object.hasOwn(apiInputSchemas, name);
}
