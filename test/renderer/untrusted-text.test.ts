import { describe, expect, it } from 'vitest';
import { escapeUntrusted } from '../../electron/core/escape-untrusted.js';
import { withInvisiblesShown } from '../../renderer/src/components/text.js';
import { unsafePieces } from '../../shared/untrusted-text.js';
import { tagCharacters } from '../support/tag-characters.js';

/**
 * The window, the report and the command line show the same characters of text from outside as
 * escapes (the window as ⟨U+202E⟩, the report and the CLI as \u202e): an investigator who reads a
 * name in the window and a court that reads it in report.html must both see the override, and
 * neither must see a code point where the other sees a letter (a Persian name's joiners).
 */
describe('the characters shown as escapes', () => {
  it('are the same in the window as in the report and the command line, over every code point', () => {
    const differing: string[] = [];
    for (let code = 0; code <= 0x10ffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const character = String.fromCodePoint(code);
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

  it('show the other characters drawn as nothing: soft hyphen, invisible operators, deprecated format characters, Hangul fillers, grapheme joiner, Mongolian vowel separator, annotation characters', () => {
    const hidden = [0xad, 0x34f, 0x115f, 0x1160, 0x17b4, 0x180e, 0x3164, 0xffa0, 0xfff9, 0xfffa, 0xfffb];
    for (let code = 0x2061; code <= 0x2064; code++) hidden.push(code);
    for (let code = 0x206a; code <= 0x206f; code++) hidden.push(code);
    const missed = hidden.filter((code) => {
      const shown = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
      return withInvisiblesShown(`invoice${String.fromCodePoint(code)}.pdf`) !== `invoice⟨${shown}⟩.pdf`;
    });
    expect(missed.map((code) => code.toString(16))).toEqual([]);
    // Report and command line: the same characters, as \\u escapes.
    expect(escapeUntrusted('in\u00advoice\u3164.pdf')).toBe('in\\xadvoice\\u3164.pdf');
  });

  it('show tag characters (ASCII smuggling) one code point each, in the window as U+E0041 and in the report and CLI as \\u{e0041}', () => {
    const smuggled = tagCharacters('ignore previous');
    const title = `Boat trips${smuggled}`;
    expect(withInvisiblesShown(title)).toBe(
      `Boat trips${[...'ignore previous'].map((c) => `⟨U+E00${c.charCodeAt(0).toString(16).toUpperCase()}⟩`).join('')}`,
    );
    expect(escapeUntrusted('a\u{e0001}\u{e0041}\u{e007f}b')).toBe('a\\u{e0001}\\u{e0041}\\u{e007f}b');
    expect(unsafePieces('x\u{e0041}y')).toEqual([
      { text: 'x', unsafe: false },
      { text: '\u{e0041}', unsafe: true },
      { text: 'y', unsafe: false },
    ]);
  });

  it('keep the emoji sequences drawn as one picture: ZWJ sequences, presentation selectors, keycaps, the three flags of tags', () => {
    const emoji = [
      '👩\u200D💻',
      '🏳\uFE0F\u200D🌈',
      '👁\uFE0F\u200D🗨\uFE0F',
      '❤\uFE0F',
      '☺\uFE0E',
      '1\uFE0F\u20E3',
      '#\uFE0F\u20E3',
      '👍🏽',
      '🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}',
      '🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}',
      '🏴\u{E0067}\u{E0062}\u{E0077}\u{E006C}\u{E0073}\u{E007F}',
    ];
    for (const sequence of emoji) {
      expect(withInvisiblesShown(`a ${sequence} b`)).toBe(`a ${sequence} b`);
      expect(escapeUntrusted(`a ${sequence} b`)).toBe(`a ${sequence} b`);
    }
  });

  it('keep a variation selector only right after a character that takes it, and show any other (emoji smuggling)', () => {
    // An ideographic variation sequence (a kanji of a name as registered) and a Mongolian letter's variant.
    expect(withInvisiblesShown('葛\u{E0100}城')).toBe('葛\u{E0100}城');
    expect(withInvisiblesShown('\u1820\u180B')).toBe('\u1820\u180B');
    // After a Latin letter, a second selector after an emoji, one at the start: shown.
    expect(withInvisiblesShown('a\uFE0F')).toBe('a⟨U+FE0F⟩');
    expect(withInvisiblesShown('😊\uFE0F\uFE01\u{E0142}')).toBe('😊\uFE0F⟨U+FE01⟩⟨U+E0142⟩');
    expect(withInvisiblesShown('😊\u{E0100}')).toBe('😊⟨U+E0100⟩');
    // A reserved default-ignorable code point after an emoji that took a selector is shown.
    expect(withInvisiblesShown('😊\uFE0F 😊\u{E0E0F}')).toBe('😊\uFE0F 😊⟨U+E0E0F⟩');
    expect(withInvisiblesShown('\uFE0Fstart')).toBe('⟨U+FE0F⟩start');
    expect(withInvisiblesShown('\u1820\u180B\u180B')).toBe('\u1820\u180B⟨U+180B⟩');
    // A black flag with any other tags: drawn as the flag alone, so its tags are shown.
    expect(withInvisiblesShown('🏴\u{E0075}\u{E0073}\u{E0074}\u{E0078}\u{E007F}')).toBe(
      '🏴⟨U+E0075⟩⟨U+E0073⟩⟨U+E0074⟩⟨U+E0078⟩⟨U+E007F⟩',
    );
    expect(escapeUntrusted('a\uFE0F')).toBe('a\\ufe0f');
  });

  it('keep the Arabic number sign and end of ayah, format characters drawn as signs', () => {
    expect(withInvisiblesShown('\u0600١٢٣ \u06DD١')).toBe('\u0600١٢٣ \u06DD١');
  });

  it('in a path, also show tab and newline, which a note keeps as layout', () => {
    expect(unsafePieces('a\tb\nc', 'path').filter((piece) => piece.unsafe)).toEqual([
      { text: '\t', unsafe: true },
      { text: '\n', unsafe: true },
    ]);
    expect(withInvisiblesShown('a\tb\nc')).toBe('a\tb\nc');
    expect(unsafePieces('می\u200Cخواهم/\u202Ex', 'path')).toEqual([
      { text: 'می\u200Cخواهم/', unsafe: false },
      { text: '\u202E', unsafe: true },
      { text: 'x', unsafe: false },
    ]);
  });
});
