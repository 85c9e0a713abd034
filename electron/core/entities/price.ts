import { asciiDigits } from './digits.js';
import { type FoundEntity, found } from './found-entity.js';

/** Currency words and signs (Latin, Arabic, Persian, Pashto, Kurdish, Tigrinya), each with its ISO 4217 code or a family. */
const CURRENCIES: readonly (readonly [string, string])[] = [
  ['EUR', '€|EUR|[Ee]uros?|[Ee]ur|يورو|اليورو|یورو|ایرو|ዩሮ|ኤውሮ'],
  ['USD', 'US\\$|\\$|USD|[Dd]ollars?|[Dd]ollari|[Dd]ollaro|دولارات|دولار|الدولار|دلار|ډالر|دۆلار|ዶላር'],
  ['GBP', '£|GBP'],
  ['dinar', 'LYD|[Dd]inars?|[Dd]inari|دينار|دنانير|د\\.ل'],
  ['lira', 'TRY|TL|₺|[Ll]ira|[Ll]ire|ليرة|لیر|لير'],
];

/** A dinar or a lira is the one of the hinted country (Tunisia, Iraq… Syria, Lebanon), else Libya's and Turkey's. */
const FAMILY: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  dinar: { TN: 'TND', IQ: 'IQD', DZ: 'DZD', JO: 'JOD', KW: 'KWD', LY: 'LYD' },
  lira: { SY: 'SYP', LB: 'LBP', TR: 'TRY' },
};
const FAMILY_DEFAULT: Readonly<Record<string, string>> = { dinar: 'LYD', lira: 'TRY' };

/** Arabic and Persian number words for one to ten, as they stand before "thousand". */
const UNIT_WORDS: readonly (readonly [number, string])[] = [
  [1, 'واحد|یک|يك'],
  [2, 'اثنين|اثنان|إثنين|دو'],
  [3, 'ثلاثة|ثلاث|سه'],
  [4, 'أربعة|اربعة|أربع|اربع|چهار'],
  [5, 'خمسة|خمس|پنج'],
  [6, 'ستة|ست|شش'],
  [7, 'سبعة|سبع|هفت'],
  [8, 'ثمانية|ثمان|هشت'],
  [9, 'تسعة|تسع|نه'],
  [10, 'عشرة|عشر|ده'],
];
const THOUSAND_WORDS = 'آلاف|الاف|ألف|الف|هزار|mila|mille|thousand|k|K';
const TWO_THOUSAND_WORDS = 'ألفين|الفين|ألفان';

const NUMBER = "\\d{1,3}(?:[.,'\\u00A0\\u202F ]\\d{3})+(?:[.,]\\d{1,2})?|\\d+(?:[.,]\\d{1,2})?";
const UNITS = UNIT_WORDS.map(([, w]) => w).join('|');
/** Thousands in digits with a "thousand" word or k ("4 هزار", "5k"), or in words ("خمسة آلاف", "ألفين", "پنج هزار"). */
const THOUSANDS = `(?:(?:${NUMBER})\\s?(?:${THOUSAND_WORDS})(?![\\p{L}])|${TWO_THOUSAND_WORDS}|(?:(?:${UNITS})\\s)?(?:${THOUSAND_WORDS.replace('|k|K', '')}))`;
/** The hundreds after thousands: "۴ هزار و ۵۰۰", "4 آلاف و500", "4 mila e 500", "4 thousand and 500". */
const REMAINDER = '\\s?(?:و|e|et|and)\\s?\\d{1,3}(?!\\d)';
/** An amount: thousands (and what follows them), or digits. */
const AMOUNT = `(?:${THOUSANDS}(?:${REMAINDER})?|${NUMBER})`;
const CURRENCY = CURRENCIES.map(([, w]) => w).join('|');

/** Amount then currency ("3.500 €", "٥٠٠٠ يورو"), or currency then amount ("$1,200", "EUR 900"). */
const PRICE = new RegExp(
  `(?<![\\p{L}\\d.,])(?:(?<a1>${AMOUNT})\\s?(?<c1>${CURRENCY})|(?<c2>${CURRENCY})\\s?(?<a2>${AMOUNT}))(?![\\p{L}\\d-])`,
  'gu',
);

/** A number as written with thousands separators and a decimal comma or point. */
function parseNumber(written: string): number | undefined {
  let s = written.replace(/['\u00A0\u202F ]/g, '');
  const dot = s.lastIndexOf('.');
  const comma = s.lastIndexOf(',');
  if (dot >= 0 && comma >= 0) {
    const decimal = dot > comma ? '.' : ',';
    s = s
      .split(decimal === '.' ? ',' : '.')
      .join('')
      .replace(decimal, '.');
  } else if (dot >= 0 || comma >= 0) {
    const sep = dot >= 0 ? '.' : ',';
    const groups = s.split(sep);
    const thousands = groups.slice(1).every((g) => g.length === 3);
    s = thousands ? groups.join('') : groups.join('.');
  }
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

/** The value of an amount as matched (digits or words, with the hundreds after thousands). */
function amountValue(written: string): number | undefined {
  const compound = new RegExp(`^(.+?)(${REMAINDER})$`, 'u').exec(written.trim());
  if (compound?.[1] && compound[2]) {
    const thousands = thousandsValue(compound[1]);
    const rest = Number(/\d{1,3}$/.exec(compound[2])?.[0]);
    return thousands === undefined ? undefined : thousands + rest;
  }
  return thousandsValue(written);
}

/** The value of thousands in digits or words, or of plain digits. */
function thousandsValue(written: string): number | undefined {
  const text = written.trim();
  if (new RegExp(`^(?:${TWO_THOUSAND_WORDS})$`).test(text)) return 2000;
  const words = new RegExp(`^(?:(${UNITS})\\s)?(?:${THOUSAND_WORDS})$`).exec(text);
  if (words && !/\d/.test(text)) {
    const unit = words[1]
      ? UNIT_WORDS.find(([, w]) => new RegExp(`^(?:${w})$`).test(words[1] ?? ''))?.[0]
      : 1;
    return unit ? unit * 1000 : undefined;
  }
  const digits = new RegExp(`^(${NUMBER})\\s?(${THOUSAND_WORDS})?$`, 'u').exec(text);
  if (!digits?.[1]) return undefined;
  const n = parseNumber(digits[1]);
  return n === undefined ? undefined : digits[2] ? n * 1000 : n;
}

/** The ISO code of a currency as written, in the hinted regions. */
function currencyCode(written: string, regions: readonly string[]): string | undefined {
  const entry = CURRENCIES.find(([, w]) => new RegExp(`^(?:${w})$`).test(written));
  if (!entry) return undefined;
  const family = FAMILY[entry[0]];
  if (!family) return entry[0];
  return regions.map((r) => family[r]).find(Boolean) ?? FAMILY_DEFAULT[entry[0]];
}

/** Prices with their currency, as `5000 EUR` (amount without separators, then the ISO code). */
export function findPrices(text: string, regions: readonly string[]): FoundEntity[] {
  const readable = asciiDigits(text);
  const entities: FoundEntity[] = [];
  for (const m of readable.matchAll(PRICE)) {
    const groups = m.groups ?? {};
    const amount = amountValue(groups.a1 ?? groups.a2 ?? '');
    const code = currencyCode(groups.c1 ?? groups.c2 ?? '', regions);
    if (amount === undefined || amount <= 0 || !code) continue;
    const value = Number.isInteger(amount) ? String(amount) : amount.toFixed(2).replace(/0$/, '');
    entities.push(found('price', `${value} ${code}`, text, m.index, m.index + m[0].length));
  }
  return entities;
}
