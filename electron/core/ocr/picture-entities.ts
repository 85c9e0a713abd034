import type { ItemPictureText } from '../../../shared/ocr.js';
import type { StoredOccurrence } from '../entities/entity-queries.js';
import { type EntityHints, extractEntities } from '../entities/extract-entities.js';
import { regionHints } from '../entities/regions.js';

/** Arabic-Indic and Persian digits: OCR usually misreads one digit of a number written in them. */
const EASTERN_DIGIT = /[\u0660-\u0669\u06F0-\u06F9]/;
/** Direction marks and isolates OCR puts around right-to-left words. */
const DIRECTION_MARK = /[\u200E\u200F\u061C\u202A-\u202E\u2066-\u2069]/;

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
 * The entities of an item's recognised text, each marked as from a picture (source `picture`,
 * with the picture and the line's box) at its offset in the item's picture text (its lines joined
 * by newlines, in reading order). One read in Eastern Arabic or Persian digits is a candidate
 * (`candidate`, with the line's confidence): never an entity until an investigator confirms it.
 * National numbers are read in the regions the page hints and the pictures' own text names.
 */
export function pictureEntities(
  text: ItemPictureText,
  hints: EntityHints,
  pageText: string,
): StoredOccurrence[] {
  const raw = text.pictures.flatMap((p) => p.lines.map((l) => l.text)).join('\n');
  // The script of what was read (Persian letters, Eastern digits) is a hint, so it is taken before folding.
  const regions = regionHints(`${raw}\n${pageText.slice(0, 20000)}`, hints);
  const out: StoredOccurrence[] = [];
  let base = 0;
  for (const picture of text.pictures) {
    for (const line of picture.lines) {
      const folded = foldLine(line.text);
      for (const e of extractEntities(folded.text, { ...hints, regions })) {
        const start = folded.at[e.offset]!;
        const end = folded.at[e.offset + e.original.length] ?? line.text.length;
        const original = line.text.slice(start, end).replace(new RegExp(DIRECTION_MARK.source, 'g'), '');
        out.push({
          type: e.type,
          value: e.value,
          source: 'picture',
          offset: base + start,
          original,
          picture: { sha256: picture.sha256, role: picture.role, uri: picture.uri, box: line.box },
          ...(EASTERN_DIGIT.test(original) ? { candidate: true, confidence: line.confidence } : {}),
        });
      }
      base += line.text.length + 1;
    }
  }
  return out;
}
