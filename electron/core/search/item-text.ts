/**
 * The searchable text of an item's originals: the visible text of a web capture (its `text`
 * artifact) and imported text files (text/*, HTML reduced to its text). Images and other binary
 * files have no text here; their title, address, notes and tags are still indexed.
 */
import { decodeText } from '../../../shared/decode-text.js';
import type { ArtifactRecord } from '../../../shared/domain.js';
import type { DerivableItem } from '../derive/deriver.js';

/** Text beyond this many bytes of one artifact is not indexed (a log file of gigabytes). */
export const MAX_INDEXED_BYTES = 16 * 1024 * 1024;

const HTML_TYPES = /^(text\/html|application\/xhtml\+xml)\b/i;

/** Whether an artifact's bytes are text that search indexes. */
function isIndexedText(artifact: Pick<ArtifactRecord, 'role' | 'mediaType'>): boolean {
  if (artifact.role === 'text') return true;
  return (
    artifact.role === 'original' &&
    (/^text\//i.test(artifact.mediaType) || HTML_TYPES.test(artifact.mediaType))
  );
}

/** The item's page or file text, artifacts joined by blank lines (empty when it has none). */
export async function itemText(item: DerivableItem): Promise<string> {
  const parts: string[] = [];
  for (const artifact of item.record.artifacts) {
    if (!isIndexedText(artifact)) continue;
    const bytes = await item.readArtifact(artifact.sha256);
    const { text } = decodeText(bytes.subarray(0, MAX_INDEXED_BYTES), artifact.mediaType);
    parts.push(HTML_TYPES.test(artifact.mediaType) ? htmlToText(text) : text);
  }
  return parts.join('\n\n');
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  zwnj: '\u200c',
  zwj: '\u200d',
  euro: '€',
  pound: '£',
  laquo: '«',
  raquo: '»',
  hellip: '…',
  ndash: '–',
  mdash: '—',
};

/** The text a reader sees in an HTML document: no scripts, styles or tags, entities decoded. */
export function htmlToText(html: string): string {
  return html
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<(script|style|noscript|template|svg|head)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<(br|\/p|\/div|\/li|\/h[1-6]|\/tr|\/section|\/article)\b[^>]*>/gi, '\n')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
      if (name[0] === '#') {
        const code =
          name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
      }
      return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
    })
    .replace(/[ \t\f\r]+/g, ' ')
    .replace(/ *\n[\s]*/g, '\n')
    .trim();
}
