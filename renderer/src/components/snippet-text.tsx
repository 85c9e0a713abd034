import type { ReactNode } from 'react';
import type { SearchSnippet } from '../../../shared/api.js';

/**
 * A search snippet of the original text with its matched words highlighted. Its direction
 * follows its own text (Arabic and Persian snippets read right to left). `lead` keeps at most
 * that many characters before the first match, for one-line cells where the match would
 * otherwise fall past the edge.
 */
export function SnippetText({
  snippet,
  lead,
  className,
}: Readonly<{ snippet: SearchSnippet; lead?: number; className?: string }>) {
  const first = snippet.marks[0]?.[0] ?? 0;
  let from = lead === undefined ? 0 : Math.max(0, first - lead);
  // Start at a word, never inside a surrogate pair.
  if (from > 0) {
    const space = snippet.text.slice(from, first).search(/\s/);
    from = space >= 0 ? from + space + 1 : from;
  }
  const parts: ReactNode[] = from > 0 ? ['…'] : [];
  let at = from;
  for (const [start, end] of snippet.marks) {
    if (end <= at) continue;
    parts.push(snippet.text.slice(at, Math.max(at, start)));
    parts.push(<mark key={start}>{snippet.text.slice(Math.max(at, start), end)}</mark>);
    at = end;
  }
  parts.push(snippet.text.slice(at));
  return (
    <span
      dir="auto"
      className={['bidi', 'snippet', className].filter(Boolean).join(' ')}
      title={snippet.text}
    >
      {parts}
    </span>
  );
}
