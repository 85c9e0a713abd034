/**
 * Entities: identifiers extracted from evidence (phone numbers, messenger and social accounts,
 * e-mail addresses, IBANs, crypto wallets, prices). Derived data, rebuilt by `custos reindex`.
 * Plain data only: this file runs in Node, in Electron and in the browser.
 */
import type { PicturePlace } from './ocr.js';

/** Every entity type, in the order the CLI and the UI list them. */
export const ENTITY_TYPES = [
  'phone',
  'whatsapp',
  'telegram',
  'signal',
  'facebook',
  'instagram',
  'tiktok',
  'x',
  'email',
  'iban',
  'btc',
  'eth',
  'tron',
  'price',
] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

/**
 * Where in an item an entity was found: an artifact role (`text`, `html`, `original`), a field
 * (`title`, `url`), `picture`: the text recognised in one of its pictures (OCR), or `confirmed`: a
 * candidate read in a picture that an investigator confirmed (its offset is the seq of the custody
 * entry that says so).
 */
export type EntitySource = 'text' | 'html' | 'original' | 'title' | 'url' | 'picture' | 'confirmed';

/** One place an entity occurs: the source, the UTF-16 offset in it, and the text as written there. */
export interface EntityOccurrence {
  readonly source: EntitySource;
  readonly offset: number;
  readonly original: string;
  /** For source `picture`: which picture, and the box of the line it was read from. */
  readonly picture?: PicturePlace;
}

/**
 * A number read by OCR in Eastern Arabic or Persian digits: OCR usually gets one of its digits
 * wrong, so it is never an entity. It is shown with Tesseract's confidence for an investigator to
 * confirm, with the known entities and selectors that are the same number or one digit from it.
 */
export interface EntityCandidate {
  readonly type: EntityType;
  /** As read (normalised like an entity), possibly with a wrong digit. */
  readonly value: string;
  readonly original: string;
  /** Tesseract's confidence for the line, 0–100. */
  readonly confidence: number;
  readonly itemId: string;
  readonly picture: PicturePlace;
  readonly possibleMatches: readonly PossibleMatch[];
}

/** What an investigator decided about a candidate, as its custody entry records it. */
export interface CandidateDecision {
  readonly decision: 'confirmed' | 'dismissed';
  /** The value confirmed (normalised), null for a dismissal. */
  readonly value: string | null;
  /** The custody entry that records it. */
  readonly seq: number;
  readonly time: string;
  readonly investigator: string;
}

/** A candidate as the item screen shows it: with the decision taken on it, if any. */
export interface CandidateView extends EntityCandidate {
  readonly decision: CandidateDecision | null;
}

/** A known value a candidate may be: the same, or one digit away. */
export interface PossibleMatch {
  readonly kind: 'entity' | 'selector';
  readonly type: string;
  readonly value: string;
  /** How many digits differ (0 or 1). */
  readonly digitsDifferent: number;
  /** A selector's label. */
  readonly label?: string | null;
}

/** An entity of a case, with the items it appears in and the other cases that mention it too. */
export interface CaseEntity {
  readonly type: EntityType;
  /** Normalised: E.164 for numbers, `@name` (lower case) for handles, `5000 EUR` for prices… */
  readonly value: string;
  readonly items: readonly { readonly id: string; readonly occurrences: readonly EntityOccurrence[] }[];
  readonly otherCases: readonly { readonly id: string; readonly number: string }[];
  /** Seen in more than one case. */
  readonly crossCase: boolean;
}

/** An item that mentions an entity, in any case. */
export interface EntityMention {
  readonly type: EntityType;
  readonly value: string;
  readonly itemId: string;
  readonly caseId: string;
  readonly caseNumber: string;
  readonly title: string | null;
  readonly url: string | null;
  readonly source: string;
  readonly capturedAt: string;
  readonly occurrences: readonly EntityOccurrence[];
}
