/**
 * The i18n layer: every string the UI shows comes from a message catalogue through `t`. English is
 * shipped; another language is one more catalogue with the same keys (TypeScript checks them).
 */
import { en, type Messages } from './messages-en.js';

/** A message's key. */
export type MessageKey = keyof Messages;

/** Values put into a message's `{placeholders}`. */
export type MessageParams = Readonly<Record<string, string | number>>;

let catalogue: Messages = en;
let locale = 'en';

/** Switches the catalogue (and the locale used for numbers, dates and plurals). */
export function setLanguage(next: { locale: string; messages: Messages }): void {
  catalogue = next.messages;
  locale = next.locale;
}

/** The current locale, for Intl formatters. */
export function currentLocale(): string {
  return locale;
}

/** The message `key` with its placeholders filled; `{count}` picks the plural form when there is one. */
export function t(key: MessageKey, params: MessageParams = {}): string {
  const entry = catalogue[key] as string | Readonly<Record<string, string>>;
  let text: string;
  if (typeof entry === 'string') text = entry;
  else {
    const count = Number(params.count ?? 0);
    const form = new Intl.PluralRules(locale).select(count);
    text = entry[form] ?? entry.other ?? '';
  }
  return text.replace(/\{(\w+)\}/g, (match, name: string) => {
    const value = params[name];
    if (value === undefined) return match;
    return typeof value === 'number' ? formatNumber(value) : value;
  });
}

/**
 * A first word that is a plain lower-case word ("tag", "don't", "read-only"), then perhaps a
 * punctuation mark, then a space or the end: only such a word is capitalised, never an identifier,
 * a path, an address or a number ("sha256 …", "https://…", "./x", "x.png", "0x1f"). Nor a word
 * followed by a colon: no service message starts with a word of its own and a colon, so that word
 * is a name the message is about ("notes: no such file", a file without extension; "localhost: …").
 */
const PLAIN_FIRST_WORD = /^\p{Ll}[\p{Ll}'’-]*(?=[,;.?!…]?(?:\s|$))/u;
/** The end of a sentence already: a full stop, "?", "!", "…" or the Arabic "؟", perhaps closed by a quote or bracket. */
const SENTENCE_END = /[.?!…؟]["'’”»)\]]*$/;
/**
 * A last word that is a path, an address or a file name ("/tmp/out", "https://tsa.test/x",
 * "C:\\cases", "export.wacz"): no full stop after it, which would be copied with it and name
 * another file.
 */
const PATH_LAST_WORD = /(?:^|\s)\S*(?:[/\\]|\w\.\w)\S*$/u;

/**
 * The one place where a service's message becomes the window's text. The services word their
 * messages for the command line (lower case, no full stop: "tag must be at most 100 characters",
 * part of the CLI's contract); the window shows them as sentences ("Tag must be at most 100
 * characters."). Every `ApiError` is made through it; asking again changes nothing.
 */
export function windowSentence(message: string): string {
  const text = message.trim();
  const capitalised = PLAIN_FIRST_WORD.test(text) ? text.charAt(0).toUpperCase() + text.slice(1) : text;
  if (capitalised === '' || SENTENCE_END.test(capitalised) || PATH_LAST_WORD.test(capitalised))
    return capitalised;
  return `${capitalised}.`;
}

/** A service's message as a sentence's body, to go inside a catalogue's sentence: its full stop left to the catalogue. */
export function asSentence(message: string): string {
  return windowSentence(message).replace(/\.$/, '');
}

/** A number as the locale writes it (1,234). */
export function formatNumber(value: number): string {
  return new Intl.NumberFormat(locale).format(value);
}

/** A byte count as people read it (1.4 MB). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value)} ${units[unit]}`;
}

/**
 * A UTC time (ISO 8601) shown in the workstation's time to the second, with its offset from UTC:
 * unambiguous in any country, as a court needs (2026-03-14 09:26:53 UTC+01:00).
 */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${formatCompactTime(iso)} ${utcOffsetLabel(date)}`;
}

/** A date without the time (for lists of cases). */
export function formatDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric' }).format(date);
}

/** A time in the workstation's zone to the second, compact for tables (2026-03-14 09:26:53). */
export function formatCompactTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

/** The hour and minute in the workstation's zone (14:05), for "checked again at". */
export function formatHourMinute(date: Date): string {
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

/** The workstation's offset from UTC, as the tables' headers name it (UTC+01:00). */
export function utcOffsetLabel(date = new Date()): string {
  const minutes = -date.getTimezoneOffset();
  const sign = minutes >= 0 ? '+' : '-';
  const abs = Math.abs(minutes);
  return `UTC${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
