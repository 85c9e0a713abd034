import { electronicFormatIBAN, getCountrySpecifications, isValidIBAN } from 'ibantools';
import { asciiDigits } from './digits.js';
import { type FoundEntity, found } from './found-entity.js';

const SPECS = getCountrySpecifications();

/** A country code and two check digits at a word start: where an IBAN may begin. */
const IBAN_START = /(?<![A-Za-z0-9])([A-Z]{2})(\d{2})/g;

/**
 * IBANs, written together or in groups separated by spaces (or dashes), as the electronic format
 * (no spaces). Each candidate is read for exactly its country's length and must pass ibantools'
 * checks (length, the country's pattern, the mod-97 check digits).
 */
export function findIbans(text: string): FoundEntity[] {
  const readable = asciiDigits(text);
  const entities: FoundEntity[] = [];
  for (const match of readable.matchAll(IBAN_START)) {
    const country = match[1] ?? '';
    const length = SPECS[country]?.chars;
    if (!length) continue;
    let compact = '';
    let end = match.index;
    while (end < readable.length && compact.length < length) {
      const c = readable[end] ?? '';
      if (/[A-Za-z0-9]/.test(c)) compact += c.toUpperCase();
      else if (!((c === ' ' || c === '-' || c === '\u00A0') && /[A-Za-z0-9]/.test(readable[end + 1] ?? '')))
        break;
      end++;
    }
    // An IBAN ends where its country says: a letter or digit glued after it makes it something else.
    if (compact.length !== length || /[A-Za-z0-9]/.test(readable[end] ?? '')) continue;
    const iban = electronicFormatIBAN(compact);
    if (iban && isValidIBAN(iban)) entities.push(found('iban', iban, text, match.index, end));
  }
  return entities;
}
