/**
 * The gap between an item's local capture time (the workstation's clock) and its trusted time (an
 * RFC 3161 authority's): a few seconds is normal; a large gap means the workstation clock was wrong
 * or the item waited offline for its stamp, and a reader must be told.
 */

/** A gap larger than this (either way) is flagged in the report. */
export const GAP_FLAG_SECONDS = 10 * 60;

/** A gap, measured and written for a person. */
export interface TimeGap {
  /** Trusted time minus local capture time, in whole seconds (negative: the clock was ahead). */
  readonly seconds: number;
  /** E.g. `+4 s`, `+12 min 05 s`, `-2 h 03 min`, `+3 d 04 h`. */
  readonly text: string;
  /** True when the gap is over ten minutes either way. */
  readonly flagged: boolean;
}

/** The gap from `capturedAt` to `trustedAt` (ISO 8601 times), or null when either cannot be read. */
export function timeGap(capturedAt: string, trustedAt: string): TimeGap | null {
  const local = Date.parse(capturedAt);
  const trusted = Date.parse(trustedAt);
  if (Number.isNaN(local) || Number.isNaN(trusted)) return null;
  const seconds = Math.round((trusted - local) / 1000);
  return { seconds, text: formatGap(seconds), flagged: Math.abs(seconds) > GAP_FLAG_SECONDS };
}

/** Writes a signed number of seconds in its two largest units. */
export function formatGap(seconds: number): string {
  const sign = seconds < 0 ? '-' : '+';
  const s = Math.abs(seconds);
  const pad = (n: number) => String(n).padStart(2, '0');
  if (s < 60) return `${sign}${s} s`;
  if (s < 3600) return `${sign}${Math.floor(s / 60)} min ${pad(s % 60)} s`;
  if (s < 86400) return `${sign}${Math.floor(s / 3600)} h ${pad(Math.floor((s % 3600) / 60))} min`;
  return `${sign}${Math.floor(s / 86400)} d ${pad(Math.floor((s % 86400) / 3600))} h`;
}
