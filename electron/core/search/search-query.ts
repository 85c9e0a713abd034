/**
 * What a person types into a search box, made into an FTS5 query that cannot fail to parse.
 * Words are searched together (all of them); "words in quotes" as a phrase; a word matches as a
 * prefix (`Lampedu` finds Lampedusa) once its last token has `MIN_PREFIX_LENGTH` characters, or
 * whenever it ends in `*`; phone numbers and IBANs in any written form find the same number
 * (identifiers.ts). Everything else is text: FTS5's own syntax (AND, OR, NEAR, column filters,
 * parentheses, a lone quote or star) is never passed through, since each term goes to FTS5 as a
 * quoted string of normalised tokens.
 *
 * The index's tokenizer splits at everything that is not a letter, digit or mark, `_` and `-`
 * included: `IMG_2024` is the phrase "img 2024", its last token a prefix, and finds
 * `IMG_2024-06-03.jpg`.
 */

import { DRAWN_AS_NOTHING } from '../../../shared/untrusted-text.js';
import { badInput, errorSaying } from '../errors.js';
import { escapeUntrusted, visibleEscape } from '../escape-untrusted.js';
import { queryIdentifiers } from './identifiers.js';
import { normalizeForSearch, tokenize } from './normalize.js';

/**
 * A word matches by prefix only from this many characters: a one- or two-letter prefix reads a
 * large part of the index's vocabulary on every search (bench/search), and finds little of use.
 */
export const MIN_PREFIX_LENGTH = 3;

/**
 * One term of a query: a word (one token), a phrase (several), the last one maybe a prefix; or an
 * identifier, found by any of its `forms` (each a sequence of tokens).
 */
export interface SearchTerm {
  readonly tokens: readonly string[];
  readonly prefix: boolean;
  readonly forms?: readonly (readonly string[])[];
}

/** A parsed query: its terms, and the FTS5 expression that finds them all. */
export interface ParsedQuery {
  readonly terms: readonly SearchTerm[];
  readonly match: string;
}

/** The characters drawn as nothing, which search removes (normalize.ts). */
const DRAWN = new RegExp(`[${DRAWN_AS_NOTHING}]`, 'gu');

/** Longest query accepted (the UI's box takes 500 characters). */
export const MAX_QUERY_LENGTH = 1000;

/**
 * Parses a query; a query with nothing searchable in it is bad input with a message saying so.
 * `regions` gives the countries to read a nationally written phone number in (asked only then).
 */
export function parseSearchQuery(text: string, regions?: () => readonly string[]): ParsedQuery {
  if (text.length > MAX_QUERY_LENGTH) {
    throw badInput(
      `the search text is ${text.length} characters long; search for at most ${MAX_QUERY_LENGTH}`,
    );
  }
  const terms: SearchTerm[] = [];
  // Identifiers first: a number written in groups is one term, not a phrase of its groups.
  let rest = text;
  for (const id of queryIdentifiers(text, regions)) {
    terms.push({ tokens: id.forms[0] ?? [], prefix: false, forms: id.forms });
    rest = rest.slice(0, id.start) + ' '.repeat(id.end - id.start) + rest.slice(id.end);
  }
  // A quote opens a phrase that runs to the next quote (or to the end, when it is never closed).
  for (const [, phrase, phraseStar, word] of rest.matchAll(/"([^"]*)(?:"|$)(\*?)|([^\s"]+)/g)) {
    const raw = phrase ?? word ?? '';
    const tokens = tokenize(normalizeForSearch(raw)).map((t) => t.text);
    const starred = phrase === undefined ? /\*$/.test(raw) : phraseStar === '*';
    const prefix = starred || (phrase === undefined && (tokens.at(-1)?.length ?? 0) >= MIN_PREFIX_LENGTH);
    if (tokens.length > 0) terms.push({ tokens, prefix });
  }
  if (terms.length === 0) {
    if (text.trim() === '') throw errorSaying('bad-input', (next) => next.searchText);
    throw badInput(
      // Its invisible characters escaped, the joiners too: a query of them alone would read `""`.
      `"${escapeUntrusted(text.trim()).replace(DRAWN, visibleEscape)}" has no letters or digits to search for; search for a word, a "phrase in quotes" or a prefix*`,
    );
  }
  return { terms, match: matchExpression(terms) };
}

/** The FTS5 expression that finds documents holding every term. */
export function matchExpression(terms: readonly SearchTerm[]): string {
  return terms.map(termExpression).join(' AND ');
}

/** One term as FTS5 reads it: a quoted phrase (maybe a prefix), or its forms joined by OR. */
function termExpression(term: SearchTerm): string {
  if (term.forms && term.forms.length > 1)
    return `(${term.forms.map((form) => `"${form.join(' ')}"`).join(' OR ')})`;
  return `"${term.tokens.join(' ')}"${term.prefix ? ' *' : ''}`;
}
