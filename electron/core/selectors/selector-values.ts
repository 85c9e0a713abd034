import { extractEntities, extractLinkEntities } from '../entities/extract-entities.js';
import { badInput } from '../errors.js';
import { normalizeForSearch } from '../search/normalize.js';

/** The longest selector accepted (a word, a phrase, an identifier). */
const MAX_SELECTOR_LENGTH = 200;

/**
 * What a selector typed by an investigator stands for: the identifier the entity extractor reads
 * in it, normalised as entities are (`+218 91 234 5678` → phone `+218912345678`, `t.me/Boat_LY` →
 * telegram `@boat_ly`), or else a word or phrase, normalised as search is.
 */
export function selectorValue(raw: string): { type: string; value: string } {
  const typed = raw.trim();
  if (!typed)
    throw badInput('a selector needs a value: a phone number, an account, an IBAN, a wallet or a word');
  if (typed.length > MAX_SELECTOR_LENGTH)
    throw badInput(`a selector is at most ${MAX_SELECTOR_LENGTH} characters; this one is ${typed.length}`);
  const found = [...extractLinkEntities(typed), ...extractEntities(typed)];
  const letters = typed.replace(/\s/g, '').length;
  // The identifier must be most of what was typed: "call 0912…" is not a phone selector.
  const whole = found.find((e) => e.original.replace(/\s/g, '').length * 2 >= letters);
  if (whole) return { type: whole.type, value: whole.value };
  const words = normalizeForSearch(typed).trim();
  if (!/[\p{L}\p{N}]/u.test(words)) throw badInput(`"${typed}" holds no letters or digits to look for`);
  return { type: 'word', value: words };
}
