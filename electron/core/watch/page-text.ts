/**
 * Page text reduced to what a comparison should see: letters and digits in lower case, accents and
 * Arabic vowel marks dropped, Arabic and Persian letter variants unified, everything else a space.
 * "Hmm...this page doesn’t exist" and "Hmm… this page doesn't exist" become the same words.
 */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[\u064A\u0649]/g, '\u06CC') // Arabic yeh and alef maksura → Persian yeh
    .replace(/\u0643/g, '\u06A9') // Arabic kaf → Persian keheh
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The words of a normalised text. */
export function words(text: string): string[] {
  const normalized = normalizeText(text);
  return normalized === '' ? [] : normalized.split(' ');
}

/**
 * How alike two visible texts are, from 0 (no word in common) to 1 (the same words): the Dice
 * coefficient over the multisets of their words, 2·|A∩B| / (|A| + |B|). Word order is ignored, so
 * a feed that moved a post up is alike; a relative time ("3 h" → "9 h") or a like count that
 * changed costs a word or two out of hundreds. Two empty texts are the same.
 */
export function textSimilarity(a: string, b: string): number {
  const left = words(a);
  const right = words(b);
  if (left.length === 0 && right.length === 0) return 1;
  const counts = new Map<string, number>();
  for (const word of left) counts.set(word, (counts.get(word) ?? 0) + 1);
  let shared = 0;
  for (const word of right) {
    const n = counts.get(word) ?? 0;
    if (n > 0) {
      shared++;
      counts.set(word, n - 1);
    }
  }
  return (2 * shared) / (left.length + right.length);
}
