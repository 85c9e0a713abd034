// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { SnippetText } from '../../renderer/src/components/snippet-text.js';
import type { SearchSnippet } from '../../shared/api.js';
import { type Mounted, render } from './support/render.js';

let mounted: Mounted | undefined;
afterEach(() => mounted?.unmount());

const text = 'قارب كبير، رِحْلَاتٌ مَضْمُونَةٌ إِلَى إِيطَالِيَا، السعر ٣٥٠٠ دولار';
const snippet = (marks: [number, number][]): SearchSnippet => ({ field: 'body', text, marks });
const range = (word: string): [number, number] => [text.indexOf(word), text.indexOf(word) + word.length];

describe('search snippets', () => {
  it('highlights exactly the matched words of the original text, which reads in its own direction', async () => {
    mounted = await render(<SnippetText snippet={snippet([range('رِحْلَاتٌ'), range('إِيطَالِيَا')])} />);
    const span = mounted.container.querySelector('.snippet');
    expect(span?.getAttribute('dir')).toBe('auto');
    expect([...(span?.querySelectorAll('mark') ?? [])].map((m) => m.textContent)).toEqual([
      'رِحْلَاتٌ',
      'إِيطَالِيَا',
    ]);
    expect(span?.textContent).toBe(text);
  });

  it('with a lead, starts a few words before the first match so a narrow cell shows it', async () => {
    mounted = await render(<SnippetText snippet={snippet([range('٣٥٠٠')])} lead={8} />);
    const shown = mounted.container.querySelector('.snippet')?.textContent ?? '';
    expect(shown.startsWith('…')).toBe(true);
    expect(shown).toContain('٣٥٠٠ دولار');
    expect(shown).not.toContain('قارب');
    expect(mounted.container.querySelector('mark')?.textContent).toBe('٣٥٠٠');
  });

  it('with a trail, ends a few words after the first match, so a Latin match in a right-to-left line stays in sight', async () => {
    const line = 'مقاعد محدودة، السعر ١٥٠٠ يورو · WhatsApp +218 91 234 5678 واتساب فقط';
    const at = line.indexOf('WhatsApp');
    mounted = await render(
      <SnippetText snippet={{ field: 'body', text: line, marks: [[at, at + 8]] }} lead={12} trail={6} />,
    );
    const shown = mounted.container.querySelector('.snippet')?.textContent ?? '';
    expect(shown).toBe('…١٥٠٠ يورو · WhatsApp +218…');
    expect(mounted.container.querySelector('mark')?.textContent).toBe('WhatsApp');
    expect(mounted.container.querySelector('.snippet')?.getAttribute('title')).toBe(line);
  });

  it('a trail does not cut a match that runs the same way as its line', async () => {
    mounted = await render(<SnippetText snippet={snippet([range('رِحْلَاتٌ')])} lead={8} trail={6} />);
    expect(mounted.container.querySelector('.snippet')?.textContent).toBe(
      `…${text.slice(text.indexOf('كبير'))}`,
    );
  });
});
