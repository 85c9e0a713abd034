import { type CountryCode, findNumbers, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { asciiDigits } from './digits.js';
import { type FoundEntity, found } from './found-entity.js';

/**
 * Words that make the number after them an order, invoice, booking or reference number, or a
 * date, never a phone number (English, French, Italian, Arabic, Persian).
 */
const NOT_A_PHONE_BEFORE =
  /(?:order|commande|ordine|invoice|facture|fattura|ref|réf|rif|reference|référence|riferimento|tracking|receipt|reçu|ricevuta|booking|prenotazione|ticket|billet|biglietto|id|iban|swift|bic|account|compte|conto|kod|code|codice|رقم الطلب|رقم الفاتورة|رقم الحجز|رقم الحساب|الحساب|کد|شماره سفارش|شماره حساب|حساب)\s*(?:no\.?|nr\.?|n\.|n°|number|numéro|numero|#)?\s*[:#]?\s*$/i;

/** A date or a time span written with digits only: 12/05/2024, 2024-05-12, 12.05.2024. */
const DATE_LIKE = /^\d{1,4}\s?[./-]\s?\d{1,2}\s?[./-]\s?\d{2,4}$/;

/**
 * The text as the number finder should read it, with the same length (offsets stay valid):
 * ASCII digits; "00" before a country code written as " +"; and a "+" that bidirectional
 * display left at the end of an Arabic or Persian line ("218912345678+") moved to the front.
 */
function readable(text: string): string {
  return asciiDigits(text)
    .replace(/(?<![\w+])00(?=[1-9]\d)/g, ' +')
    .replace(/(?<![\w+])(\d[\d -]{6,18}\d)\+(?![\d+])/g, '+$1');
}

/** The Arab League's members: where a number in an Arabic text's Eastern digits may be from. */
export const ARAB_EASTERN_DIGIT_REGIONS: readonly string[] =
  'DZ BH KM DJ EG IQ JO KW LB LY MR MA OM PS QA SA SO SD SY TN AE YE'.split(' ');
/**
 * Countries whose own numbers are written in Arabic-Indic or Persian digits (the Arab League's
 * members, Iran, Afghanistan, Pakistan). A national number written in those digits belongs to one
 * of them: an Arabic ad for "trips to Italy from Libya" writing ٠٩١ ٢٣٤ ٥٦٧٨ gives a Libyan
 * number, though Italy is named first and 0912345678 is also a valid Italian number.
 */
const EASTERN_DIGIT_REGIONS = new Set([...ARAB_EASTERN_DIGIT_REGIONS, 'IR', 'AF', 'PK']);
const EASTERN_DIGIT = /[\u0660-\u0669\u06F0-\u06F9]/;

/** Whether a country writes its own numbers in Arabic-Indic or Persian digits (EASTERN_DIGIT_REGIONS). */
export function writesEasternDigits(region: string): boolean {
  return EASTERN_DIGIT_REGIONS.has(region);
}

/** E.164 of a number read in one of the regions (international numbers need none), if valid. */
export function normalisePhone(raw: string, regions: readonly string[]): string | undefined {
  const digits = readable(raw).trim();
  for (const region of [undefined, ...regions]) {
    const number = parsePhoneNumberFromString(digits, region as CountryCode | undefined);
    if (number?.isValid()) return number.number;
  }
  return undefined;
}

/** Whether the text around a number says it is something else (an order number, a price, a date). */
function isSomethingElse(text: string, start: number, end: number): boolean {
  const written = text.slice(start, end);
  if (DATE_LIKE.test(asciiDigits(written).trim())) return true;
  const before = text.slice(Math.max(0, start - 40), start);
  if (NOT_A_PHONE_BEFORE.test(before)) return true;
  // Glued to letters or to a longer run of digits (an IBAN or a wallet fragment).
  if (/[\p{L}\d]$/u.test(before) || /^[\p{L}\d]/u.test(text.slice(end, end + 1))) return true;
  return false;
}

/**
 * Phone numbers in a text, as E.164. Numbers written with a country code (+, 00) are read
 * anywhere; national numbers only in the hinted regions, in their order (one written in Eastern
 * digits only in a region that writes them: EASTERN_DIGIT_REGIONS). A number is kept only
 * when libphonenumber's full metadata says it is a valid number of that country.
 */
export function findPhones(text: string, regions: readonly string[]): FoundEntity[] {
  const prepared = readable(text);
  const taken: FoundEntity[] = [];
  const overlaps = (start: number, end: number) =>
    taken.some((t) => start < t.offset + t.original.length && t.offset < end);
  const passes: (string | undefined)[] = [undefined, ...regions];
  for (const region of passes) {
    const matches = findNumbers(prepared, {
      defaultCountry: region as CountryCode | undefined,
      v2: true,
    }) as {
      number: { number: string; country?: string; isValid(): boolean };
      startsAt: number;
      endsAt: number;
    }[];
    for (const match of matches) {
      let start = match.startsAt;
      // The " +" that stood for "00": the original starts one earlier.
      if (prepared[start] === '+' && text.slice(start - 1, start + 1) === '00') start--;
      const end = match.endsAt;
      if (!match.number.isValid() || overlaps(start, end) || isSomethingElse(text, start, end)) continue;
      if (region && !writesEasternDigits(region) && EASTERN_DIGIT.test(text.slice(start, end))) continue;
      taken.push(found('phone', match.number.number, text, start, end));
      // A text that gives one number with its country code likely writes the others nationally.
      const country = match.number.country;
      if (region === undefined && country && !passes.includes(country)) passes.push(country);
    }
  }
  return taken.sort((a, b) => a.offset - b.offset);
}

/**
 * The digits of an E.164 number as its own country writes it nationally (`+218912345678` →
 * `0912345678`): how a local ad or a colleague types it. Undefined for a number that does not parse.
 */
export function nationalDigits(e164: string): string | undefined {
  const national = parsePhoneNumberFromString(e164)?.formatNational();
  return national ? asciiDigits(national).replace(/\D/g, '') : undefined;
}
