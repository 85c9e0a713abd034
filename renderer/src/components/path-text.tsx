import { Fragment } from 'react';

/**
 * Characters that show nothing or reorder what follows: controls (Cc: a newline) and format
 * characters (Cf: the bidi embeddings, overrides, isolates and marks, so that U+202E cannot make a
 * path read as another; zero-width characters; the BOM).
 */
const INVISIBLE = /([\p{Cc}\p{Cf}])/u;

/** What parts a displayed path or command line: the folder separators and a shell's single quote. */
const SEPARATOR = /([/\\'])/;

/**
 * A folder, or a command line holding one, as it is displayed (the Copy next to it gives the exact
 * text), or a message naming one: each segment between separators (and quotes) isolated in its own direction (`<bdi>`), so that Arabic
 * or Hebrew names keep the segments in the order they have on disk, and each invisible character
 * shown as its code point (⟨U+202E⟩), so that what is seen cannot differ from what is copied.
 */
export function PathText({ value }: Readonly<{ value: string }>) {
  let key = 0;
  return (
    <>
      {value.split(SEPARATOR).map((part) =>
        part === '' ? null : SEPARATOR.test(part) ? (
          <Fragment key={key++}>{part}</Fragment>
        ) : (
          <bdi key={key++}>
            {part.split(INVISIBLE).map((piece) =>
              INVISIBLE.test(piece) ? (
                <span key={key++} className="invisible-char" title={codePoint(piece)}>
                  ⟨{codePoint(piece)}⟩
                </span>
              ) : (
                <Fragment key={key++}>{piece}</Fragment>
              ),
            )}
          </bdi>
        ),
      )}
    </>
  );
}

/**
 * Text from outside set into a sentence held as a string (a notice's title naming an item): each
 * invisible character written as its code point (⟨U+202E⟩), as `PathText` shows it, so that an
 * override in the name cannot turn around the rest of the sentence (a custody entry's number).
 */
export function withInvisiblesShown(text: string): string {
  return text
    .split(INVISIBLE)
    .map((piece) => (INVISIBLE.test(piece) ? `⟨${codePoint(piece)}⟩` : piece))
    .join('');
}

/** A character's code point as Unicode writes it (U+202E). */
function codePoint(character: string): string {
  return `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}
