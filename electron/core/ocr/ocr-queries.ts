import type { ItemPictureText, PictureReading, PictureScan } from '../../../shared/ocr.js';
import { cachedStatement, type ReadableDB, type WritableDB } from '../store/database.js';

/** The derivers that read an item's picture text: new text makes them derive the item again. */
const READERS_OF_PICTURE_TEXT = ['search', 'entities'];

/**
 * Replaces an item's recognised lines and scan, and forgets the search and entity derivations of
 * the item so that the next pass reads the new text (the derivers' own staleness mark).
 */
export function replaceItemPictureText(
  db: WritableDB,
  item: { readonly id: string; readonly caseId: string },
  text: ItemPictureText,
): void {
  db.prepare('DELETE FROM ocr_lines WHERE item_id = ?').run(item.id);
  db.prepare('DELETE FROM ocr_scans WHERE item_id = ?').run(item.id);
  const addLine = db.prepare(
    `INSERT INTO ocr_lines (item_id, case_id, seq, picture_sha256, role, uri, width, height, x0, y0, x1, y1, text, confidence)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  let seq = 0;
  for (const p of text.pictures)
    for (const l of p.lines) {
      const { x0, y0, x1, y1 } = l.box;
      addLine.run(
        item.id,
        item.caseId,
        seq++,
        p.sha256,
        p.role,
        p.uri,
        p.width,
        p.height,
        x0,
        y0,
        x1,
        y1,
        l.text,
        l.confidence,
      );
    }
  if (text.scan) {
    const { pictures, read, skipped, note } = text.scan;
    db.prepare('INSERT INTO ocr_scans (item_id, pictures, read, skipped, note) VALUES (?, ?, ?, ?, ?)').run(
      item.id,
      pictures,
      read,
      skipped,
      note,
    );
  }
  const forget = db.prepare('DELETE FROM derived_state WHERE item_id = ? AND deriver = ?');
  for (const deriver of READERS_OF_PICTURE_TEXT) forget.run(item.id, deriver);
}

/** Forgets all recognised text (before a rebuild). */
export function clearPictureText(db: WritableDB): void {
  db.exec('DELETE FROM ocr_lines; DELETE FROM ocr_scans;');
}

interface LineRow {
  sha256: string;
  role: string;
  uri: string | null;
  width: number;
  height: number;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  text: string;
  confidence: number;
}

/** An item's recognised text, picture by picture in reading order, with its scan (null: never read). */
export function pictureTextOfItem(db: ReadableDB, itemId: string): ItemPictureText {
  const rows = cachedStatement(
    db,
    `SELECT picture_sha256 AS sha256, role, uri, width, height, x0, y0, x1, y1, text, confidence
       FROM ocr_lines WHERE item_id = ? ORDER BY seq`,
  ).all(itemId) as LineRow[];
  const pictures = new Map<string, PictureReading & { lines: PictureReading['lines'][number][] }>();
  for (const r of rows) {
    const picture = pictures.get(r.sha256) ?? {
      sha256: r.sha256,
      role: r.role,
      uri: r.uri,
      width: r.width,
      height: r.height,
      lines: [],
    };
    picture.lines.push({
      text: r.text,
      confidence: r.confidence,
      box: { x0: r.x0, y0: r.y0, x1: r.x1, y1: r.y1 },
    });
    pictures.set(r.sha256, picture);
  }
  const scan = cachedStatement(
    db,
    'SELECT pictures, read, skipped, note FROM ocr_scans WHERE item_id = ?',
  ).get(itemId) as PictureScan | undefined;
  return { pictures: [...pictures.values()], scan: scan ?? null };
}
