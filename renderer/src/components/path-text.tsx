import { Fragment } from 'react';
import { UntrustedText } from './text.js';

/** What parts a displayed path or command line: the folder separators and a shell's single quote. */
const SEPARATOR = /([/\\'])/;

/**
 * A folder, or a command line holding one, as it is displayed (the Copy next to it gives the exact
 * text), or a message naming one: each segment between separators (and quotes) isolated in its own
 * direction (`<bdi>`), so that Arabic or Hebrew names keep the segments in the order they have on
 * disk, and each character of the one list (`shared/untrusted-text.ts`) shown as its code point
 * (⟨U+202E⟩), so that what is seen cannot differ from what is copied. A path's list adds tab and
 * newline, which a note lays out with but which in a folder's name are drawn as a space or not at
 * all (the `path` set).
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
            <UntrustedText text={part} set="path" />
          </bdi>
        ),
      )}
    </>
  );
}
