/** SHA256SUMS in the format `sha256sum -c` reads: `<hex>  <path>` per line. */

/** One line of SHA256SUMS. */
export interface ChecksumLine {
  readonly path: string;
  readonly sha256: string;
}

/** The text of SHA256SUMS for these files, sorted by path so the file is reproducible. */
export function formatChecksums(files: Iterable<ChecksumLine>): string {
  return [...files]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((file) => `${file.sha256}  ${file.path}\n`)
    .join('');
}

/** The parsed lines of SHA256SUMS, and the numbers of lines that are not in its format. */
export function parseChecksums(text: string): {
  lines: ChecksumLine[];
  malformed: number[];
  duplicates: string[];
} {
  const lines: ChecksumLine[] = [];
  const malformed: number[] = [];
  const seen = new Set<string>();
  const duplicates: string[] = [];
  const rows = text.split('\n');
  rows.forEach((raw, index) => {
    if (raw === '' && index === rows.length - 1) return;
    // GNU sha256sum: two spaces for text mode, space-asterisk for binary mode.
    const match = /^([0-9a-fA-F]{64}) [ *](.+)$/.exec(raw);
    if (!match?.[1] || !match[2]) {
      malformed.push(index + 1);
      return;
    }
    const path = match[2];
    if (seen.has(path)) duplicates.push(path);
    seen.add(path);
    lines.push({ path, sha256: match[1].toLowerCase() });
  });
  return { lines, malformed, duplicates };
}
