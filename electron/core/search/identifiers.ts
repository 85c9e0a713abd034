/**
 * Identifiers (phone numbers, IBANs) in search: each is indexed, beside the text, as the single
 * tokens people type for it, and a query naming one is turned into those tokens, so that
 * `+218912345678`, `218912345678`, `0912345678` and `+218 91 234 5678` all find the post that wrote
 * `+218 91 234 5678`, and an IBAN typed with or without its spaces finds the one written the other
 * way. The values come from the entities deriver (electron/core/entities/), which reads numbers
 * with the page's own country hints; the search deriver runs after it (derivers.ts).
 *
 * Wallet addresses need nothing here: each is one token already, and the index ignores case.
 */

import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { findIbans } from '../entities/iban.js';
import { nationalDigits, normalisePhone } from '../entities/phone.js';
import { cachedStatement, type ReadableDB } from '../store/database.js';
import { normalizeForSearch, tokenize } from './normalize.js';

/** Entity types whose values may be phone numbers in E.164 (messenger accounts also links). */
const PHONE_TYPES = ['phone', 'whatsapp', 'signal'] as const;

/** The search tokens of one phone number: its E.164 digits and its national digits. */
export function phoneTokens(e164: string): string[] {
  const international = e164.replace(/\D/g, '');
  const national = nationalDigits(e164);
  return national && national !== international ? [international, national] : [international];
}

/**
 * The extra text an item's index entry holds: its phone numbers' and IBANs' tokens, one per line
 * (never shown: snippets are cut from the original text).
 */
export function indexedIdentifiers(db: ReadableDB, itemId: string): string {
  const rows = cachedStatement(
    db,
    `SELECT DISTINCT e.type, e.value FROM entity_occurrences o JOIN entities e ON e.id = o.entity_id
       WHERE o.item_id = ? AND e.type IN ('iban', ${PHONE_TYPES.map((t) => `'${t}'`).join(', ')})`,
  ).all(itemId) as { type: string; value: string }[];
  const tokens = new Set<string>();
  for (const { type, value } of rows) {
    if (type === 'iban') tokens.add(value.toLowerCase());
    // A messenger account is a number only when its value is E.164 (not `chat.whatsapp.com/…`).
    else if (/^\+\d{6,15}$/.test(value)) for (const token of phoneTokens(value)) tokens.add(token);
  }
  return [...tokens].join('\n');
}

/** An identifier found in a query: where it is written, and the token sequences that find it. */
export interface QueryIdentifier {
  readonly start: number;
  readonly end: number;
  /** Alternatives, each a sequence of normalised tokens (one token for the compact forms). */
  readonly forms: readonly (readonly string[])[];
}

/**
 * A phone number written in a query: `+` or `00` and digits with spaces, dots, dashes or
 * brackets between them, or one run of 7 or more digits. Digit groups without a `+` or `00`
 * (`2024 06 03`) stay words: they are more often dates and references than numbers.
 */
const QUERY_PHONE = /(?<![\p{L}\p{N}])(?:(?:\+|00)\d[\d ().-]{5,20}\d|\d{7,15})(?![\p{L}\p{N}])/gu;

/**
 * The phone numbers and IBANs of a query, each with the forms that find it. A number written
 * nationally (`0912345678`) is also read in `regions` (asked for only then), most likely first.
 */
export function queryIdentifiers(
  text: string,
  regions: () => readonly string[] = () => [],
): QueryIdentifier[] {
  const found: QueryIdentifier[] = [];
  // IBANs are written in capitals; a query may not be (same length: offsets stay valid).
  for (const iban of findIbans(text.replace(/[a-z]/g, (c) => c.toUpperCase()))) {
    const end = iban.offset + iban.original.length;
    found.push({ start: iban.offset, end, forms: withWritten([[iban.value.toLowerCase()]], iban.original) });
  }
  for (const match of text.matchAll(QUERY_PHONE)) {
    const start = match.index;
    const end = start + match[0].length;
    if (found.some((f) => start < f.end && f.start < end)) continue;
    const digits = match[0].replace(/\D/g, '');
    const international = /^(?:\+|00)/.test(match[0]) ? match[0] : null;
    // Digits alone may be a number given with its country code but no `+` (`218912345678`), or
    // a national number (`0912345678`) of the case's countries.
    const e164 =
      normalisePhone(international ?? `+${digits}`, []) ??
      (international === null && digits.startsWith('0') ? normalisePhone(digits, regions()) : undefined);
    const forms: string[][] = [[digits.replace(/^00/, '')]];
    if (e164) for (const token of phoneTokens(e164)) forms.push([token]);
    found.push({ start, end, forms: withWritten(forms, match[0]) });
  }
  return found.sort((a, b) => a.start - b.start);
}

/** The forms plus the tokens as written (for an index entry made before its entities were read). */
function withWritten(forms: readonly string[][], written: string): string[][] {
  const tokens = tokenize(normalizeForSearch(written)).map((t) => t.text);
  const all = tokens.length > 0 ? [...forms, tokens] : [...forms];
  const seen = new Set<string>();
  return all.filter((form) => {
    const key = form.join(' ');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Phone numbers of a case (or all cases) read to find its countries; more would add little. */
const REGION_SAMPLE = 2000;

/**
 * The countries of the phone numbers a case's items hold (all cases' when `caseId` is null), most
 * numbers first: where a number a person types nationally most likely belongs.
 */
export function phoneRegions(db: ReadableDB, caseId: string | null): string[] {
  const values = db
    .prepare(
      `SELECT e.value FROM entities e WHERE e.type = 'phone' AND (@caseId IS NULL OR EXISTS
         (SELECT 1 FROM entity_occurrences o WHERE o.entity_id = e.id AND o.case_id = @caseId))
       LIMIT ${REGION_SAMPLE}`,
    )
    .pluck()
    .all({ caseId }) as string[];
  const counts = new Map<string, number>();
  for (const value of values) {
    const country = parsePhoneNumberFromString(value)?.country;
    if (country) counts.set(country, (counts.get(country) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]).map(([country]) => country);
}
