/**
 * Selectors: identifiers and words an investigator is told about whenever new evidence holds them.
 * Plain data only: this file runs in Node, in Electron and in the browser.
 */
import type { PictureBox } from './ocr.js';

/** A selector as stored: its value normalised like an entity (`word` for plain words). */
export interface Selector {
  readonly id: string;
  /** The case it belongs to, or null for every case. */
  readonly caseId: string | null;
  readonly caseNumber: string | null;
  /** An entity type (`phone`, `iban`, `telegram`…) or `word`. */
  readonly type: string;
  readonly value: string;
  /** As the investigator typed it. */
  readonly raw: string;
  readonly label: string | null;
  readonly createdAt: string;
  readonly removedAt: string | null;
}

/**
 * How an item holds a selector: `entity` (an extracted identifier of the same value), `word` (the
 * search index), `possible` (a number OCR read in Eastern digits that is the selector or one digit
 * from it: for an investigator to confirm).
 */
export type SelectorMatch = 'entity' | 'word' | 'possible';

/** One item that holds one selector. */
export interface SelectorHit {
  readonly selector: Selector;
  readonly match: SelectorMatch;
  readonly itemId: string;
  readonly caseId: string;
  readonly caseNumber: string;
  readonly title: string | null;
  readonly url: string | null;
  readonly capturedAt: string;
  /** Where in the item (entity sources: `text`, `picture`…), for entity and possible matches. */
  readonly sources: readonly string[];
  /** The text as written (entity and possible matches). */
  readonly original: string | null;
}

/** Where an item holds the active selectors, for highlighting them in its text and on its pictures. */
export interface ItemSelectorMarks {
  /** The item's hits, one per selector and way it is held. */
  readonly hits: readonly SelectorHit[];
  /**
   * [start, end) UTF-16 ranges holding a selector in the item's page text (`source` `text`, its
   * `text` artifact) or imported text file (`original`).
   */
  readonly text: readonly {
    readonly source: 'text' | 'original';
    readonly start: number;
    readonly end: number;
    readonly selectorId: string;
  }[];
  /** Boxes of recognised lines holding a selector, on the picture whose SHA-256 is given. */
  readonly pictures: readonly {
    readonly sha256: string;
    readonly box: PictureBox;
    readonly selectorId: string;
    readonly match: SelectorMatch;
  }[];
}
