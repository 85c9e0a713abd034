import { describe, expect, test } from 'vitest';
import { CustosError } from '../../../electron/core/errors.js';
import { formatInterval, parseInterval } from '../../../electron/core/watch/interval.js';

describe('watch intervals', () => {
  test.each([
    ['30m', 1800],
    ['6h', 21_600],
    ['1d', 86_400],
    ['2w', 1_209_600],
    [' 12H ', 43_200],
  ])('%s is %i seconds', (text, seconds) => {
    expect(parseInterval(text)).toBe(seconds);
  });

  test.each(['', '6', 'h', '6 hours', '1.5h', '-1h', '6h30m', '0m', '1m', '400d'])(
    '%j is refused as bad input with an example of what to write',
    (text) => {
      let error: unknown;
      try {
        parseInterval(text);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(CustosError);
      expect((error as CustosError).kind).toBe('bad-input');
      expect((error as CustosError).message).toMatch(/e\.g\. 30m, 6h/);
    },
  );

  test('an interval is written back in the largest unit that divides it', () => {
    expect(formatInterval(1800)).toBe('30m');
    expect(formatInterval(5400)).toBe('90m');
    expect(formatInterval(86_400)).toBe('1d');
    expect(parseInterval(formatInterval(21_600))).toBe(21_600);
  });
});
