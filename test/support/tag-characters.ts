/**
 * ASCII written in tag characters (U+E0020–U+E007E), one tag a character: text drawn as nothing,
 * as "ASCII smuggling" hides it in a title or a file's name.
 */
export function tagCharacters(ascii: string): string {
  return [...ascii].map((c) => String.fromCodePoint(0xe0000 + c.charCodeAt(0))).join('');
}
