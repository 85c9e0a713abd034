/**
 * Every value one digit away from a number (`+218912345678` → `+218912345670`, …), and the
 * number itself: what an OCR candidate read in Eastern digits may really be. Only the digits are
 * varied; a value with no digits gives itself alone.
 */
export function withinOneDigit(value: string): string[] {
  const variants = [value];
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c < '0' || c > '9') continue;
    for (let d = 0; d <= 9; d++) {
      if (String(d) !== c) variants.push(value.slice(0, i) + d + value.slice(i + 1));
    }
  }
  return variants;
}

/** How many digits two values of the same shape differ by (Infinity when their shapes differ). */
export function digitsDifferent(a: string, b: string): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}
