/**
 * A prefix that only one word of the index starts with stands for that word: `bambini*` (typed
 * `bambini`, a prefix by default) matches the documents holding `bambini` and no other, with the
 * same occurrences, so FTS5 finds and weighs them the same (the same documents, the same bm25()
 * to the last bit: its counts are the phrase's documents and occurrences) asked for the word
 * itself, without merging the doclists of every word the prefix could start, whole, before the
 * first match (counting `Sfax bambini` over all cases of the bench store: 6.3 ms as prefixes,
 * 1.4 ms as words, load 9). The one place that decides it: the MATCH text of every search and
 * the impact lists' words both ask here (two seeks, about 0.1 ms).
 */
import { cachedStatement, type ReadableDB } from '../store/database.js';
import { matchExpression, type ParsedQuery, type SearchTerm } from './search-query.js';

/**
 * The one word of the index that starts with `prefix`, or null when none or several do (FTS5's
 * vocabulary, read from the prefix on: two seeks). Asked each time, in the caller's read
 * transaction: nothing is kept between searches, so a word written or deleted since is seen.
 */
export function onlyWordStartingWith(db: ReadableDB, prefix: string): string | null {
  const firstFrom = cachedStatement(
    db,
    'SELECT term FROM search_vocabulary_instances WHERE term >= ? LIMIT 1',
  ).pluck();
  const word = firstFrom.get(prefix) as string | undefined;
  if (word === undefined || !word.startsWith(prefix)) return null;
  // char(1) sorts right after the word itself: no word holds a control character.
  const after = firstFrom.get(`${word}\u0001`) as string | undefined;
  return after?.startsWith(prefix) ? null : word;
}

/**
 * The query with each term whose last token is a prefix only one word of the index starts with
 * asked for as that word (`"bambini" *` becomes `"bambini"`, `"barca gra" *` `"barca grande"`
 * when no other word starts with `gra`); a prefix two words start with, or none, stays as it is.
 * Only the MATCH text changes: the terms stay as typed, so snippets mark what they always did.
 */
export function withWholeWords(db: ReadableDB, parsed: ParsedQuery): ParsedQuery {
  const terms = parsed.terms.map((term) => asWholeWord(db, term));
  if (terms.every((term, i) => term === parsed.terms[i])) return parsed;
  return { terms: parsed.terms, match: matchExpression(terms) };
}

function asWholeWord(db: ReadableDB, term: SearchTerm): SearchTerm {
  const last = term.tokens.at(-1);
  if (!term.prefix || last === undefined || (term.forms?.length ?? 0) > 1) return term;
  const word = onlyWordStartingWith(db, last);
  return word === null ? term : { tokens: [...term.tokens.slice(0, -1), word], prefix: false };
}
