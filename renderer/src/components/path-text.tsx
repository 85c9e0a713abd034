import { Fragment } from 'react';
import { InvisibleChar } from './text.js';

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
      {value
        .split(SEPARATOR)
        .map((part) =>
          part === '' ? null : SEPARATOR.test(part) ? (
            <Fragment key={key++}>{part}</Fragment>
          ) : (
            <bdi key={key++}>
              {part
                .split(INVISIBLE)
                .map((piece) =>
                  INVISIBLE.test(piece) ? (
                    <InvisibleChar key={key++} character={piece} />
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
