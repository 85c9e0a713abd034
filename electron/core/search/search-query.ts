/**
 * What a person types into a search box, made into an FTS5 query that cannot fail to parse.
 * Words are searched together (all of them); "words in quotes" as a phrase; a word ending in `*`
 * as a prefix. Everything else is text: FTS5's own syntax (AND, OR, NEAR, column filters,
 * parentheses, a lone quote or star) is never passed through, since each term goes to FTS5 as a
 * quoted string of normalised tokens.
 */
import { badInput } from '../errors.js';
import { normalizeForSearch, tokenize } from './normalize.js';

/** One term of a query: a word (one token), a phrase (several), the last one maybe a prefix. */
export interface SearchTerm {
  readonly tokens: readonly string[];
  readonly prefix: boolean;
}

/** A parsed query: its terms, and the FTS5 expression that finds them all. */
export interface ParsedQuery {
  readonly terms: readonly SearchTerm[];
  readonly match: string;
}

/** Longest query accepted (the UI's box takes 500 characters). */
export const MAX_QUERY_LENGTH = 1000;

/** Parses a query; a query with nothing searchable in it is bad input with a message saying so. */
export function parseSearchQuery(text: string): ParsedQuery {
  if (text.length > MAX_QUERY_LENGTH) {
    throw badInput(
      `the search text is ${text.length} characters long; search for at most ${MAX_QUERY_LENGTH}`,
    );
  }
  const terms: SearchTerm[] = [];
  // A quote opens a phrase that runs to the next quote (or to the end, when it is never closed).
  for (const [, phrase, phraseStar, word] of text.matchAll(/"([^"]*)(?:"|$)(\*?)|([^\s"]+)/g)) {
    const raw = phrase ?? word ?? '';
    const prefix = phrase === undefined ? /\*$/.test(raw) : phraseStar === '*';
    const tokens = tokenize(normalizeForSearch(raw)).map((t) => t.text);
    if (tokens.length > 0) terms.push({ tokens, prefix });
  }
  if (terms.length === 0) {
    throw badInput(
      text.trim() === ''
        ? 'give the text to search for, for example `custos search "boat trip"`'
        : `"${text.trim()}" has no letters or digits to search for; search for a word, a "phrase in quotes" or a prefix*`,
    );
  }
  const match = terms.map((term) => `"${term.tokens.join(' ')}"${term.prefix ? ' *' : ''}`).join(' ');
  return { terms, match };
}
