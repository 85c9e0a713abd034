/**
 * Entities: identifiers extracted from evidence (phone numbers, messenger and social accounts,
 * e-mail addresses, IBANs, crypto wallets, prices). Derived data, rebuilt by `custos reindex`.
 * Plain data only: this file runs in Node, in Electron and in the browser.
 */

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

/** Where in an item an entity was found: an artifact role (`text`, `html`, `original`) or a field (`title`, `url`). */
export type EntitySource = 'text' | 'html' | 'original' | 'title' | 'url';

/** One place an entity occurs: the source, the UTF-16 offset in it, and the text as written there. */
export interface EntityOccurrence {
  readonly source: EntitySource;
  readonly offset: number;
  readonly original: string;
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
