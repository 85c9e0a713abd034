import type { EntityHints } from './found-entity.js';

/** Languages spoken mainly in one country: `<html lang="fa">` is a fair hint for Iran. */
const LANGUAGE_REGION: Readonly<Record<string, string>> = {
  fa: 'IR',
  ps: 'AF',
  prs: 'AF',
  it: 'IT',
  fr: 'FR',
  el: 'GR',
  tr: 'TR',
  ti: 'ER',
  ckb: 'IQ',
  ku: 'IQ',
  de: 'DE',
  es: 'ES',
  nl: 'NL',
  ur: 'PK',
  bn: 'BD',
};

/**
 * Countries as the ads name them (English, French, Italian, Arabic, Persian), matched as whole
 * words: a Libyan ad saying "ليبيا" makes its national numbers Libyan.
 */
const COUNTRY_NAMES: readonly (readonly [string, RegExp])[] = [
  ['LY', /\b(?:libya|libye|libia|tripoli|benghazi|zuwara|zawiya)\b|ليبيا|طرابلس|بنغازي|زوارة|الزاوية|لیبی/i],
  ['TN', /\b(?:tunisia|tunisie|tunisi|sfax)\b|تونس|صفاقس/i],
  ['EG', /\b(?:egypt|egypte|égypte|egitto)\b|مصر|الإسكندرية/i],
  [
    'TR',
    /\b(?:turkey|türkiye|turkiye|turquie|turchia|istanbul|izmir|bodrum)\b|تركيا|اسطنبول|إزمير|ترکیه|استانبول|ازمیر/i,
  ],
  ['IR', /\b(?:iran)\b|إيران|ایران|تهران/i],
  ['AF', /\b(?:afghanistan)\b|أفغانستان|افغانستان|کابل/i],
  ['PK', /\b(?:pakistan)\b|باكستان|پاکستان/i],
  ['IQ', /\b(?:iraq|irak)\b|العراق|عراق|أربيل|اربیل|هەولێر/i],
  ['SY', /\b(?:syria|syrie|siria)\b|سوريا|سوریه/i],
  ['LB', /\b(?:lebanon|liban|libano)\b|لبنان/i],
  ['MA', /\b(?:morocco|maroc|marocco)\b|المغرب/i],
  ['DZ', /\b(?:algeria|algérie|algerie)\b|الجزائر/i],
  ['GR', /\b(?:greece|grèce|grece|grecia)\b|اليونان|یونان/i],
  ['IT', /\b(?:italy|italie|italia|lampedusa|sicily|sicile|sicilia)\b|إيطاليا|ايطاليا|ایتالیا|لامبيدوزا/i],
  ['ER', /\b(?:eritrea|érythrée)\b|إريتريا|ኤርትራ/i],
  ['SD', /\b(?:sudan|soudan)\b|السودان/i],
  ['NE', /\b(?:niger)\b|النيجر/i],
  ['GB', /\b(?:united kingdom|england|royaume-uni|regno unito)\b|بريطانيا|انگلیس/i],
  ['FR', /\b(?:france|francia)\b|فرنسا|فرانسه/i],
];

const GENERIC_TLDS = new Set(['me', 'tv', 'io', 'co', 'ai', 'gg', 'fm', 'ws', 'cc', 'to', 'su', 'eu']);

/** The region of a country-code top-level domain (`.ly`, `.it`…), when the host has one. */
function regionOfUrl(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return undefined;
  }
  const tld = host.split('.').at(-1) ?? '';
  if (!/^[a-z]{2}$/.test(tld)) return undefined;
  if (tld === 'uk') return 'GB';
  // Top-level domains sold worldwide as generic names, and link shorteners, say nothing of a country.
  if (GENERIC_TLDS.has(tld) || /^(?:bit|ow|fb|goo)\.[a-z]{2}$/.test(host)) return undefined;
  return tld.toUpperCase();
}

/** The region of a language tag: its region subtag (`ar-LY`), else a language of one country. */
function regionOfLang(lang: string | null | undefined): string | undefined {
  if (!lang) return undefined;
  const parts = lang.trim().split(/[-_]/);
  const region = parts.slice(1).find((p) => /^[A-Za-z]{2}$/.test(p));
  if (region) return region.toUpperCase();
  return LANGUAGE_REGION[(parts[0] ?? '').toLowerCase()];
}

/**
 * Scripts of few countries, tried last: Persian digits or letters (Iran, Afghanistan), Ethiopic
 * (Eritrea, Ethiopia). A number must still be valid there, and the two Persian-speaking countries'
 * national numbers differ in length, so a wrong guess yields no number rather than a wrong one.
 */
const SCRIPT_REGIONS: readonly (readonly [RegExp, readonly string[]])[] = [
  [/[\u06F0-\u06F9\u067E\u0686\u0698\u06AF]/, ['IR', 'AF']],
  [/[\u1200-\u137F]/, ['ER', 'ET']],
];

/** The regions to read national numbers in, most likely first, without repeats. */
export function regionHints(text: string, hints: EntityHints): string[] {
  const regions: string[] = [...(hints.regions ?? [])];
  const fromLang = regionOfLang(hints.lang);
  if (fromLang) regions.push(fromLang);
  const fromUrl = regionOfUrl(hints.url);
  if (fromUrl) regions.push(fromUrl);
  const named = COUNTRY_NAMES.map(([region, pattern]) => ({ region, at: text.search(pattern) }))
    .filter((n) => n.at >= 0)
    .sort((a, b) => a.at - b.at);
  for (const n of named) regions.push(n.region);
  for (const [script, fallback] of SCRIPT_REGIONS) if (script.test(text)) regions.push(...fallback);
  return [...new Set(regions)];
}
