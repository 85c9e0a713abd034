import { describe, expect, it } from 'vitest';
import { escapeUntrusted } from '../../electron/core/escape-untrusted.js';
import { withInvisiblesShown } from '../../renderer/src/components/text.js';

/**
 * The window, the report and the command line show the same characters of text from outside as
 * escapes (the window as ⟨U+202E⟩, the report and the CLI as \u202e): an investigator who reads a
 * name in the window and a court that reads it in report.html must both see the override, and
 * neither must see a code point where the other sees a letter (a Persian name's joiners).
 */
describe('the characters shown as escapes', () => {
  it('are the same in the window as in the report and the command line, over the whole BMP', () => {
    const differing: string[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const character = String.fromCharCode(code);
      const inWindow = withInvisiblesShown(character) !== character;
      const inReport = escapeUntrusted(character) !== character;
      if (inWindow !== inReport) differing.push(`U+${code.toString(16).toUpperCase().padStart(4, '0')}`);
    }
    expect(differing).toEqual([]);
  });

  it('include every bidi control and mark, and leave Persian joiners and Arabic letters alone', () => {
    for (const control of '\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200E\u200F\u061C') {
      expect(withInvisiblesShown(`a${control}b`)).toMatch(/^a⟨U\+[0-9A-F]{4}⟩b$/);
    }
    expect(withInvisiblesShown('invoice\u202Efdp.exe')).toBe('invoice⟨U+202E⟩fdp.exe');
    expect(withInvisiblesShown('می\u200Cخواهم')).toBe('می\u200Cخواهم');
    expect(withInvisiblesShown('رحلة القارب')).toBe('رحلة القارب');
  });

  it('show the characters drawn as nothing (zero-width space, word joiner, BOM, line separators), so two names that look alike are seen to differ', () => {
    for (const [character, shown] of [
      ['\u200B', 'U+200B'],
      ['\u2060', 'U+2060'],
      ['\uFEFF', 'U+FEFF'],
      ['\u2028', 'U+2028'],
      ['\u2029', 'U+2029'],
    ]) {
      expect(withInvisiblesShown(`invoice${character}.pdf`)).toBe(`invoice⟨${shown}⟩.pdf`);
    }
    expect(withInvisiblesShown('invoice\u200B.pdf')).not.toBe(withInvisiblesShown('invoice.pdf'));
    // The joiners Persian and emoji need stay as they are.
    expect(withInvisiblesShown('نمی\u200Cدانم 👩\u200D💻')).toBe('نمی\u200Cدانم 👩\u200D💻');
  });
});
