import type { ItemPictureText, PictureBox, PictureLine } from '../../../shared/ocr.js';
import type { StoredOccurrence } from '../entities/entity-queries.js';
import { type EntityHints, extractEntities } from '../entities/extract-entities.js';
import { ARAB_EASTERN_DIGIT_REGIONS, writesEasternDigits } from '../entities/phone.js';
import { regionHints } from '../entities/regions.js';
import { confusedReadings, type LineReading, writtenInArabic } from './eastern-digit-readings.js';

/** Arabic-Indic and Persian digits: OCR usually misreads one digit of a number written in them. */
const EASTERN_DIGIT = /[\u0660-\u0669\u06F0-\u06F9]/;
/** Digits a line needs to be read again as OCR likely misread it: a phone number has more. */
const MIN_PHONE_DIGITS = 7;
/** Direction marks and isolates OCR puts around right-to-left words. */
export const DIRECTION_MARK = /[\u200E\u200F\u061C\u202A-\u202E\u2066-\u2069]/;

/**
 * A line of recognised text as the extractors read it: direction marks removed, both Eastern digit
 * ranges as ASCII, Persian yeh and keheh as the Arabic letters, with each character's position in
 * the line as read (so an entity's text as written can be cut from the line).
 */
export function foldLine(line: string): { text: string; at: number[] } {
  let text = '';
  const at: number[] = [];
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (DIRECTION_MARK.test(c)) continue;
    const code = c.charCodeAt(0);
    let folded = c;
    if (code >= 0x0660 && code <= 0x0669) folded = String(code - 0x0660);
    else if (code >= 0x06f0 && code <= 0x06f9) folded = String(code - 0x06f0);
    else if (c === '\u06CC')
      folded = '\u064A'; // ی → ي
    else if (c === '\u06A9') folded = '\u0643'; // ک → ك
    text += folded;
    at.push(i);
  }
  at.push(line.length);
  return { text, at };
}

/**
 * The lines of a picture put back together by row: Tesseract splits a line where the words are far
 * apart (a tilted or spaced-out number, "+39 360 643" and "3421"), so lines whose boxes share most
 * of their height are one row, left to right, joined by a space; a row's box is their union and its
 * confidence the lowest. Two lines over the same place are two readings of it (a second pass), never
 * parts of one row: each stays a row of its own.
 */
export function pictureRows(lines: readonly PictureLine[]): PictureLine[] {
  const rows: { lines: PictureLine[]; box: PictureBox }[] = [];
  for (const line of [...lines].sort((a, b) => a.box.y0 - b.box.y0)) {
    const row = rows.find((r) => {
      const shared = Math.min(r.box.y1, line.box.y1) - Math.max(r.box.y0, line.box.y0);
      const height = Math.min(r.box.y1 - r.box.y0, line.box.y1 - line.box.y0);
      return height > 0 && shared >= height / 2 && !r.lines.some((l) => samePlace(l.box, line.box));
    });
    if (!row) {
      rows.push({ lines: [line], box: line.box });
      continue;
    }
    row.lines.push(line);
    row.box = {
      x0: Math.min(row.box.x0, line.box.x0),
      y0: Math.min(row.box.y0, line.box.y0),
      x1: Math.max(row.box.x1, line.box.x1),
      y1: Math.max(row.box.y1, line.box.y1),
    };
  }
  return rows.map((r) => {
    const parts = r.lines.sort((a, b) => a.box.x0 - b.box.x0);
    return {
      text: parts.map((l) => l.text).join(' '),
      confidence: Math.min(...parts.map((l) => l.confidence)),
      box: r.box,
    };
  });
}

/** Whether two boxes of one row cover the same place: more than half the narrower's width. */
function samePlace(a: PictureBox, b: PictureBox): boolean {
  const shared = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
  return shared > Math.min(a.x1 - a.x0, b.x1 - b.x0) / 2;
}

/** The recognised text of an item as search and entities read it: rows joined by newlines. */
export function pictureTextOf(text: ItemPictureText): string {
  return text.pictures.flatMap((p) => pictureRows(p.lines).map((l) => l.text)).join('\n');
}

/**
 * The entities of an item's recognised text, each marked as from a picture (source `picture`,
 * with the picture and the row's box) at its offset in the item's picture text (`pictureTextOf`:
 * its rows joined by newlines, in reading order). One read in Eastern Arabic or Persian digits is a candidate
 * (`candidate`, with the line's confidence): never an entity until an investigator confirms it.
 * National numbers are read in the regions the page hints and the pictures' own text names; a
 * line in Eastern digits also as OCR likely misread it (`confusedReadings`) and, in an Arabic
 * picture naming no Arab country, in each Arab country: more candidates, never an entity.
 */
export function pictureEntities(
  text: ItemPictureText,
  hints: EntityHints,
  pageText: string,
): StoredOccurrence[] {
  const raw = pictureTextOf(text);
  // The script of what was read (Persian letters, Eastern digits) is a hint, so it is taken before folding.
  const regions = regionHints(`${raw}\n${pageText.slice(0, 20000)}`, hints);
  const arabic = writtenInArabic(raw);
  const out: StoredOccurrence[] = [];
  let base = 0;
  for (const picture of text.pictures) {
    for (const line of pictureRows(picture.lines)) {
      const at = { picture, line, base };
      // Folded, the digits no longer say they were Eastern: the number finder is told by the regions.
      if (!EASTERN_DIGIT.test(line.text))
        out.push(...lineEntities(asRead(line.text), at, { ...hints, regions }));
      else {
        const named = regions.filter(writesEasternDigits);
        // An Arabic ad whose country name was misread names none that writes these digits: each that
        // does is tried, every valid number a candidate (an Arabic ad's number read as Iranian is none).
        // Only a line with a phone number's digits is worth it (a price is not): it is many readings.
        const phoneLong = (line.text.match(/\p{Nd}/gu)?.length ?? 0) >= MIN_PHONE_DIGITS;
        const tried =
          phoneLong && arabic && !named.some((r) => ARAB_EASTERN_DIGIT_REGIONS.includes(r))
            ? [...named, ...ARAB_EASTERN_DIGIT_REGIONS].map((r) => [r])
            : [named];
        const readings = [asRead(line.text), ...(phoneLong ? confusedReadings(line.text, arabic) : [])];
        const found = readings.flatMap((reading) =>
          tried.flatMap((r) => lineEntities(reading, at, { ...hints, regions: r })),
        );
        // Only numbers in Eastern digits come from the other readings and regions: never an entity.
        const firstReading = lineEntities(asRead(line.text), at, { ...hints, regions: named });
        out.push(...firstReading.filter((e) => !e.candidate), ...distinct(found.filter((e) => e.candidate)));
      }
      base += line.text.length + 1;
    }
  }
  return out;
}

/** A line as read: each character at its own place. */
function asRead(text: string): LineReading {
  return { text, at: [...Array(text.length + 1).keys()] };
}

/** Where a row is: its picture, the row, and its offset in the item's picture text. */
interface RowPlace {
  readonly picture: ItemPictureText['pictures'][number];
  readonly line: PictureLine;
  readonly base: number;
}

/** The entities of one reading of a row, each placed in the row as read and marked as from a picture. */
function lineEntities(
  reading: LineReading,
  { picture, line, base }: RowPlace,
  hints: EntityHints,
): StoredOccurrence[] {
  const folded = foldLine(reading.text);
  const at = (i: number) => reading.at[folded.at[i] ?? reading.text.length] ?? line.text.length;
  return extractEntities(folded.text, hints).map((e) => {
    const start = at(e.offset);
    const end = at(e.offset + e.original.length);
    const original = line.text.slice(start, end).replace(new RegExp(DIRECTION_MARK.source, 'g'), '');
    return {
      type: e.type,
      value: e.value,
      source: 'picture' as const,
      offset: base + start,
      original,
      picture: { sha256: picture.sha256, role: picture.role, uri: picture.uri, box: line.box },
      ...(EASTERN_DIGIT.test(original) ? { candidate: true, confidence: line.confidence } : {}),
    };
  });
}

/** Occurrences without repeats of the same type and value at the same place. */
function distinct(found: readonly StoredOccurrence[]): StoredOccurrence[] {
  const seen = new Set<string>();
  return found.filter((e) => {
    const key = `${e.type} ${e.value} ${e.offset}`;
    return !seen.has(key) && Boolean(seen.add(key));
  });
}
