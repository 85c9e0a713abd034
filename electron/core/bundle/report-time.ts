/**
 * Times as the report prints them: UTC as recorded, and the same instant on the investigator's
 * wall clock in the time zone the record names, with its offset, so that "22:08 in Rome" is never
 * confused with "21:08 UTC".
 */

/** `2026-03-05 21:08:57.388 UTC` from an ISO 8601 UTC time (the text as given when it is no time). */
export function utcText(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().replace('T', ' ').replace('Z', '')} UTC`;
}

/**
 * `2026-03-05 22:08:57.388 UTC+01:00 (Europe/Rome)`: the instant in a named time zone with its
 * offset at that instant (daylight saving included), or null when the zone is unknown here.
 */
export function localText(iso: string, timeZone: string): string | null {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime()) || timeZone === '') return null;
  const format = localFormat(timeZone);
  if (!format) return null;
  const parts = format.formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  const offset = part('timeZoneName').replace(/^GMT$/, 'GMT+00:00').replace('GMT', 'UTC');
  const millis = String(date.getUTCMilliseconds()).padStart(3, '0');
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}:${part('second')}.${millis} ${offset} (${timeZone})`;
}

/** Formatters by time zone (null: a zone unknown here); at most this many kept. */
const formats = new Map<string, Intl.DateTimeFormat | null>();
const MAX_FORMATS = 64;

/**
 * The formatter of a time zone, made once: making one costs about 0.3 ms (ICU loads the zone), which
 * was a fifth of a 2,000-item report's writing when each time made its own.
 */
function localFormat(timeZone: string): Intl.DateTimeFormat | null {
  const known = formats.get(timeZone);
  if (known !== undefined) return known;
  let format: Intl.DateTimeFormat | null;
  try {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    });
  } catch {
    format = null;
  }
  if (formats.size >= MAX_FORMATS) formats.clear();
  formats.set(timeZone, format);
  return format;
}
