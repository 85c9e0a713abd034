/**
 * Snippets cut from the original text (never from the normalised one), with the words that
 * matched marked: the text is normalised with its map back to the original, its tokens compared
 * with the query's, and each match's range mapped back.
 */
import type { SearchSnippet, SearchSnippetField } from '../../../shared/api.js';
import { normalizeWithMap, tokenize } from './normalize.js';
import type { SearchTerm } from './search-query.js';

/** A snippet holds about this many characters of the original. */
const SNIPPET_LENGTH = 180;
/** Context shown before the first match. */
const LEAD = 50;
/** Only this much of a long text is looked through for the snippet. */
const SCANNED = 200_000;

/** A long text is looked through a piece of about this many characters at a time. */
const CHUNK = 4000;

/**
 * White space, as a snippet folds it and a piece ends at it: JavaScript's `\s` less U+FEFF, which
 * `\s` counts as space but is a format character drawn as nothing (search removes it inside a
 * word): the snippet keeps it, for the window to show it, never a space where the text has none.
 */
const SPACE = /[^\S\ufeff]/;

/**
 * Where the terms of the query occur in an original text, as [start, end) ranges of it. With
 * `firstOnly`, stops after the piece that holds the first match (and the snippet's length past
 * it): a snippet needs no more, and a long page is not normalised to its end on every search.
 */
export function findMatches(
  original: string,
  terms: readonly SearchTerm[],
  firstOnly = false,
): [number, number][] {
  const limit = Math.min(original.length, SCANNED);
  const ranges: [number, number][] = [];
  let from = 0;
  while (from < limit) {
    let to = Math.min(limit, from + CHUNK);
    if (to < limit) {
      // End the piece at white space, so that no word (nor most phrases) is cut in two.
      const space = original.slice(to, to + 200).search(SPACE);
      to = space >= 0 ? to + space : to;
    }
    matchIn(original.slice(from, to), from, terms, ranges);
    const first = ranges[0];
    if (firstOnly && first && to >= first[0] + SNIPPET_LENGTH) break;
    from = to;
  }
  return ranges;
}

/** Adds the matches of the terms in one piece of text (starting at `offset` of the original). */
function matchIn(
  piece: string,
  offset: number,
  terms: readonly SearchTerm[],
  ranges: [number, number][],
): void {
  const mapped = normalizeWithMap(piece);
  const tokens = tokenize(mapped.text);
  for (let t = 0; t < tokens.length; t++) {
    for (const term of terms) {
      const length = term.forms ? formLength(tokens, t, term.forms) : termLength(tokens, t, term);
      if (length === 0) continue;
      const first = tokens[t];
      const last = tokens[t + length - 1];
      if (!first || !last) continue;
      ranges.push([offset + (mapped.start[first.start] ?? 0), offset + (mapped.end[last.end - 1] ?? 0)]);
      break;
    }
  }
}

type Token = { readonly text: string };

/** How many tokens from `t` a word or phrase term matches (0: none). */
function termLength(tokens: readonly Token[], t: number, term: SearchTerm): number {
  const length = term.tokens.length;
  if (t + length > tokens.length) return 0;
  for (let k = 0; k < length; k++) {
    const token = tokens[t + k]?.text ?? '';
    const wanted = term.tokens[k] ?? '';
    if (!(k === length - 1 && term.prefix ? token.startsWith(wanted) : token === wanted)) return 0;
  }
  return length;
}

/**
 * How many tokens from `t` an identifier matches: one of its forms token for token, or a compact
 * form written in groups (`+218 91 234 5678` is the tokens of `218912345678` one after another).
 */
function formLength(tokens: readonly Token[], t: number, forms: readonly (readonly string[])[]): number {
  for (const form of forms) {
    const length = termLength(tokens, t, { tokens: form, prefix: false });
    if (length > 0) return length;
    const compact = form.length === 1 ? (form[0] ?? '') : '';
    let joined = '';
    for (let k = t; k < tokens.length && compact.startsWith(joined) && joined.length < compact.length; k++) {
      joined += tokens[k]?.text ?? '';
      if (joined === compact) return k - t + 1;
    }
  }
  return 0;
}

/**
 * The best snippet of an item: from the first field (page text, notes, tags, title, address)
 * where the query matches, around its first match; null when no field shows a match.
 */
export function makeSnippet(
  fields: Readonly<Record<SearchSnippetField, string>>,
  terms: readonly SearchTerm[],
): SearchSnippet | null {
  for (const field of ['body', 'notes', 'tags', 'title', 'url'] as const) {
    const text = fields[field];
    if (!text) continue;
    const ranges = findMatches(text, terms, true);
    const first = ranges[0];
    if (first) return { field, ...cutAround(text, first[0], ranges) };
  }
  return null;
}

/** A window of the text around `from`, whitespace folded, with the ranges inside it marked. */
function cutAround(
  text: string,
  from: number,
  ranges: readonly [number, number][],
): { text: string; marks: [number, number][] } {
  let start = Math.max(0, from - LEAD);
  if (start > 0) {
    const space = text.slice(start, from).search(SPACE);
    start = space >= 0 ? start + space + 1 : start;
  }
  let end = Math.min(text.length, start + SNIPPET_LENGTH);
  if (end < text.length) {
    const lastSpace = text.slice(from, end).search(/[^\S\ufeff][\S\ufeff]*$/);
    if (lastSpace > 0) end = from + lastSpace;
  }
  // Never split a surrogate pair at either end.
  if (start > 0 && /[\udc00-\udfff]/.test(text[start] ?? '')) start--;
  if (end < text.length && /[\udc00-\udfff]/.test(text[end] ?? '')) end++;
  let out = start > 0 ? '…' : '';
  const at = new Int32Array(end - start + 1); // original offset → snippet offset
  let inSpace = false;
  for (let i = start; i < end; i++) {
    at[i - start] = out.length;
    const c = text[i] ?? '';
    if (SPACE.test(c)) {
      if (!inSpace) out += ' ';
      inSpace = true;
    } else {
      out += c;
      inSpace = false;
    }
  }
  at[end - start] = out.length;
  const marks: [number, number][] = ranges
    .filter(([s, e]) => s >= start && e <= end)
    .map(([s, e]) => [at[s - start] ?? 0, at[e - start] ?? 0]);
  if (end < text.length) out += '…';
  return { text: out, marks };
}
