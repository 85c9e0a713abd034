import { describe, expect, it } from 'vitest';
import { escapeHtml, htmlText } from '../../../electron/core/bundle/html-text.js';
import { escapeUntrusted } from '../../../electron/core/escape-untrusted.js';

/**
 * htmlText returns text that needs no escaping as it is (a shortcut the report takes for most of
 * its 2,000-item text): these check that the shortcut never lets through a character the full
 * escape would have changed, so that a court's report shows every control and bidi mark.
 */
describe('untrusted text in the report (htmlText)', () => {
  const fullEscape = (text: string) => escapeHtml(escapeUntrusted(text.replace(/\r\n/g, '\n')));

  it('escapes every UTF-16 code unit exactly as the full escape does, alone and inside text', () => {
    const differing: string[] = [];
    for (let unit = 0; unit <= 0xffff; unit++) {
      const c = String.fromCharCode(unit);
      for (const text of [c, `name ${c} here`]) {
        if (htmlText(text) !== fullEscape(text)) differing.push(unit.toString(16));
      }
    }
    expect(differing).toEqual([]);
  });

  it('shows quotes, markup, controls and bidi overrides as references and escapes, never as they are', () => {
    expect(htmlText(`it's <b>"x"</b> & co`)).toBe('it&#39;s &#60;b&#62;&#34;x&#34;&#60;/b&#62; &#38; co');
    expect(htmlText('invoice\u202etxt.exe')).toBe('invoice\\u202etxt.exe');
    const controls = htmlText('bell\x07 del\x7f next\x85');
    expect(['\x07', '\x7f', '\x85'].filter((c) => controls.includes(c))).toEqual([]);
    expect(htmlText('line one\r\nline two')).toBe('line one\nline two');
  });

  it('shows a zero-width space, word joiner, BOM and line separators in a file name as escapes, and keeps the joiners', () => {
    expect(htmlText('invoice\u200b.pdf')).toBe('invoice\\u200b.pdf');
    expect(htmlText('a\u2060b\ufeffc\u2028d\u2029e')).toBe('a\\u2060b\\ufeffc\\u2028d\\u2029e');
    expect(htmlText('نمی\u200cدانم')).toBe('نمی\u200cدانم');
  });

  it('shows tag characters and a soft hyphen as escapes, one code point each, and keeps an emoji flag made of tags', () => {
    expect(htmlText('Boat trips\u{e0068}\u{e0069} in\u00advoice')).toBe(
      'Boat trips\\u{e0068}\\u{e0069} in\\xadvoice',
    );
    const scotland = '🏴\u{e0067}\u{e0062}\u{e0073}\u{e0063}\u{e0074}\u{e007f}';
    expect(htmlText(`flag ${scotland}`)).toBe(`flag ${scotland}`);
  });
});
