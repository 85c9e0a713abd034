import type { ReactNode } from 'react';
import type { SearchSnippet } from '../../../shared/api.js';
import { UntrustedText, withInvisiblesShown } from './text.js';

/**
 * A search snippet of the original text with its matched words highlighted. Its direction
 * follows its own text (Arabic and Persian snippets read right to left). For one-line cells,
 * `lead` keeps at most that many characters before the first match, and `trail` at most that
 * many after it when the match runs the other way from its line (a Latin word in an Arabic
 * line, or the reverse): such a word and what follows it in its own direction are laid out as
 * one run whose far end holds the match, at the side where the cell cuts the line, so without a
 * bound on what follows, the match itself would be pushed out of sight. Matches close together
 * are kept together.
 */
export function SnippetText({
  snippet,
  lead,
  trail,
  className,
}: Readonly<{ snippet: SearchSnippet; lead?: number; trail?: number; className?: string }>) {
  const { text, marks } = snippet;
  const [first = 0, firstEnd = 0] = marks[0] ?? [];
  let from = lead === undefined ? 0 : Math.max(0, first - lead);
  // Start at a word, never inside a surrogate pair.
  if (from > 0 && !/\s/.test(text[from - 1] ?? '')) {
    const space = text.slice(from, first).search(/\s/);
    from = space >= 0 ? from + space + 1 : from;
  }
  let to = text.length;
  // The bound runs from the end of the last match that follows the one before within `trail`.
  let lastEnd = firstEnd;
  for (const [start, end] of marks) if (start >= first && start <= lastEnd + (trail ?? 0)) lastEnd = end;
  const againstLine = direction(text.slice(from)) !== direction(text.slice(first, firstEnd));
  if (trail !== undefined && againstLine && lastEnd + trail < text.length) {
    // End at a word when one ends within the bound, else at the bound (not inside a surrogate pair).
    const space = text.slice(lastEnd, lastEnd + trail).search(/\s\S*$/);
    to = space > 0 ? lastEnd + space : lastEnd + trail;
    if (/[\ud800-\udbff]/.test(text[to - 1] ?? '')) to--;
  }
  const parts: ReactNode[] = from > 0 ? ['…'] : [];
  let at = from;
  for (const [start, end] of marks) {
    if (end <= at) continue;
    if (start >= to) break;
    parts.push(<UntrustedText key={`at${at}`} text={text.slice(at, Math.max(at, start))} />);
    parts.push(
      <mark key={start}>
        <UntrustedText text={text.slice(Math.max(at, start), Math.min(end, to))} />
      </mark>,
    );
    at = Math.min(end, to);
  }
  parts.push(<UntrustedText key={`at${at}`} text={text.slice(at, to)} />);
  if (to < text.length) parts.push('…');
  return (
    <span
      dir="auto"
      className={['bidi', 'snippet', className].filter(Boolean).join(' ')}
      title={withInvisiblesShown(text)}
    >
      {parts}
    </span>
  );
}

const RIGHT_TO_LEFT = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]/;

/** The direction of a text's first letter, as `dir="auto"` decides it. */
function direction(text: string): 'rtl' | 'ltr' | null {
  const letter = /\p{L}/u.exec(text)?.[0];
  if (letter === undefined) return null;
  return RIGHT_TO_LEFT.test(letter) ? 'rtl' : 'ltr';
}
