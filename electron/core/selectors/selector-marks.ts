/**
 * Where in one item its selector hits are: ranges of its text and boxes on its pictures, so the
 * item screen can highlight them. Read from the same derived data as the hits themselves.
 */
import type { PicturePlace } from '../../../shared/ocr.js';
import type { ItemSelectorMarks } from '../../../shared/selectors.js';
import { UNDECIDED_CANDIDATE } from '../entities/candidates.js';
import { withinOneDigit } from '../ocr/one-digit.js';
import { normalizeForSearch } from '../search/normalize.js';
import type { ReadableDB } from '../store/database.js';
import { selectorHits } from './selector-hits.js';

type TextMark = ItemSelectorMarks['text'][number];
type PictureMark = ItemSelectorMarks['pictures'][number];

/** The item's selector hits, and where each is in its text and on its pictures. */
export function itemSelectorMarks(db: ReadableDB, itemId: string): ItemSelectorMarks {
  const hits = selectorHits(db, { itemIds: [itemId] });
  const text: TextMark[] = [];
  const pictures: PictureMark[] = [];
  const seen = new Set<string>();
  for (const hit of hits) {
    const { selector } = hit;
    // One selector held in two ways (an entity and a candidate) is one hit of each way, marked once per way.
    const key = `${selector.id} ${hit.match}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (hit.match === 'entity') {
      for (const o of occurrencesOf(db, itemId, selector.value)) {
        if (o.picture) {
          const place = JSON.parse(o.picture) as PicturePlace;
          pictures.push({ sha256: place.sha256, box: place.box, selectorId: selector.id, match: 'entity' });
        } else if (o.source === 'text' || o.source === 'original') {
          text.push({
            source: o.source,
            start: o.offset,
            end: o.offset + o.original.length,
            selectorId: selector.id,
          });
        }
      }
    } else if (hit.match === 'possible') {
      for (const picture of candidatePictures(db, itemId, selector.value))
        pictures.push({
          sha256: picture.sha256,
          box: picture.box,
          selectorId: selector.id,
          match: 'possible',
        });
    } else {
      for (const line of linesHolding(db, itemId, selector.value))
        pictures.push({ sha256: line.sha256, box: line.box, selectorId: selector.id, match: 'word' });
    }
  }
  return { hits, text: unique(text), pictures: unique(pictures) };
}

/** One mark per place: a number that is both a phone and a WhatsApp account is marked once. */
function unique<T>(marks: readonly T[]): T[] {
  const seen = new Set<string>();
  return marks.filter((m) => {
    const key = JSON.stringify(m);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function occurrencesOf(db: ReadableDB, itemId: string, value: string) {
  return db
    .prepare(
      `SELECT o.source, o."offset" AS "offset", o.original, o.picture
       FROM entity_occurrences o JOIN entities e ON e.id = o.entity_id
       WHERE o.item_id = ? AND e.value = ? ORDER BY o.source, o."offset"`,
    )
    .all(itemId, value) as { source: string; offset: number; original: string; picture: string | null }[];
}

function candidatePictures(db: ReadableDB, itemId: string, value: string): PicturePlace[] {
  const rows = db
    .prepare(
      `SELECT k.picture FROM entity_candidates k
       WHERE k.item_id = ? AND k.value IN (SELECT value FROM json_each(?)) AND ${UNDECIDED_CANDIDATE}`,
    )
    .pluck()
    .all(itemId, JSON.stringify(withinOneDigit(value))) as string[];
  return rows.map((r) => JSON.parse(r) as PicturePlace);
}

/** The recognised lines whose text holds a word selector (normalised as search is). */
function linesHolding(db: ReadableDB, itemId: string, words: string) {
  const rows = db
    .prepare(
      `SELECT picture_sha256 AS sha256, x0, y0, x1, y1, text FROM ocr_lines WHERE item_id = ? ORDER BY seq`,
    )
    .all(itemId) as { sha256: string; x0: number; y0: number; x1: number; y1: number; text: string }[];
  return rows
    .filter((r) => normalizeForSearch(r.text).includes(words))
    .map((r) => ({ sha256: r.sha256, box: { x0: r.x0, y0: r.y0, x1: r.x1, y1: r.y1 } }));
}
