import { INTERVAL_UNIT_SECONDS } from '../../../shared/watch.js';
import { badInput } from '../errors.js';

export { formatInterval } from '../../../shared/watch.js';

/** How often a watch is checked when `--every` is not given. */
export const DEFAULT_INTERVAL_SECONDS = 6 * 3600;
/** The shortest interval: a capture costs seconds and a platform notices a page fetched every minute. */
export const MIN_INTERVAL_SECONDS = 5 * 60;
/** The longest: a year. */
export const MAX_INTERVAL_SECONDS = 366 * 86_400;

/**
 * Parses `--every`: a whole number and a unit, m (minutes), h (hours), d (days) or w (weeks), as in
 * `30m`, `6h`, `1d`. Anything else, or an interval outside 5 minutes to a year, is bad input.
 */
export function parseInterval(input: string): number {
  const match = /^\s*(\d{1,6})\s*([mhdw])\s*$/i.exec(input);
  if (!match) {
    throw badInput(
      `${JSON.stringify(input)} is not an interval; write a whole number and a unit, m, h, d or w (e.g. 30m, 6h, 1d)`,
    );
  }
  const seconds = Number(match[1]) * (INTERVAL_UNIT_SECONDS[match[2]!.toLowerCase()] ?? 0);
  if (seconds < MIN_INTERVAL_SECONDS || seconds > MAX_INTERVAL_SECONDS) {
    throw badInput(
      `an interval of ${input.trim()} is outside what a watch allows (5m to 366d); choose e.g. 30m, 6h or 1d`,
    );
  }
  return seconds;
}
