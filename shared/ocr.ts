/**
 * Text recognised in pictures (OCR): derived data, never evidence, rebuilt by `custos reindex`.
 * Plain data only: this file runs in Node, in Electron and in the browser.
 */

/** A rectangle in a picture's own pixels (upright): left, top, right, bottom. */
export interface PictureBox {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

/** Which picture of an item text was read from, and where on it. */
export interface PicturePlace {
  /** SHA-256 of the picture: an artifact's, or a page image's payload. */
  readonly sha256: string;
  /** `original`, `screenshot`, `viewport` or `page-image`. */
  readonly role: string;
  /** A page image's URL on the captured page (null for an artifact). */
  readonly uri: string | null;
  readonly box: PictureBox;
}

/** One recognised line of a picture. */
export interface PictureLine {
  readonly text: string;
  /** Tesseract's mean confidence for the line, 0–100. */
  readonly confidence: number;
  readonly box: PictureBox;
}

/** A picture of an item with the lines read from it. */
export interface PictureReading {
  readonly sha256: string;
  readonly role: string;
  readonly uri: string | null;
  readonly width: number;
  readonly height: number;
  readonly lines: readonly PictureLine[];
}

/** What text recognition did with an item's pictures. */
export interface PictureScan {
  /** Pictures considered (artifacts and page images). */
  readonly pictures: number;
  /** Pictures read. */
  readonly read: number;
  /** Pictures left unread (too small, too large, over the cap, undecodable). */
  readonly skipped: number;
  /** Why, in words, or null. */
  readonly note: string | null;
}

/** An item's recognised text: each picture read, and the scan's summary. */
export interface ItemPictureText {
  readonly pictures: readonly PictureReading[];
  readonly scan: PictureScan | null;
}
