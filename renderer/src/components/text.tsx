import { Fragment, useState } from 'react';
import { codePoint, replaceUnsafe, type UnsafeSet, unsafePieces } from '../../../shared/untrusted-text.js';
import { t } from '../i18n/i18n.js';
import { Icon } from './icons.js';

/**
 * An invisible character (a bidi override, a control) drawn as its code point, ⟨U+202E⟩, in the
 * warning colour, isolated left to right so that it reads the same inside right-to-left text.
 */
export function InvisibleChar({ character }: Readonly<{ character: string }>) {
  return (
    <span className="invisible-char" dir="ltr" title={codePoint(character)}>
      ⟨{codePoint(character)}⟩
    </span>
  );
}

/**
 * Text from outside as it is drawn: every character the command line and the report escape
 * (`shared/untrusted-text.ts`: controls, bidi controls and marks, characters drawn as nothing, tag
 * characters) shown as its code point, so that an override in a file's name cannot make
 * `invoice‮fdp.exe` read as `invoiceexe.pdf`; the rest, right-to-left scripts, their joiners and
 * emoji included, as it is. `set="path"` shows a tab and a newline too (`PathText`).
 */
export function UntrustedText({ text, set = 'text' }: Readonly<{ text: string; set?: UnsafeSet }>) {
  const pieces = unsafePieces(text, set);
  if (!pieces.some((piece) => piece.unsafe)) return <>{text}</>;
  return (
    <>
      {pieces.map((piece, index) =>
        piece.unsafe ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the pieces of one text, in its order
          <InvisibleChar key={index} character={piece.text} />
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: the pieces of one text, in its order
          <Fragment key={index}>{piece.text}</Fragment>
        ),
      )}
    </>
  );
}

/**
 * Text from outside as a string (a tooltip, an aria-label, a sentence of a notice naming an
 * item): the characters `UntrustedText` draws as code points written as ⟨U+202E⟩, so that an
 * override cannot turn around what follows it (a custody entry's number) nor hide a file's real
 * extension, and a screen reader reads them out rather than passing over them.
 */
export function withInvisiblesShown(text: string): string {
  return replaceUnsafe(text, (character) => `⟨${codePoint(character)}⟩`);
}

/**
 * Text that came from outside (a page title, a file's name, a note, captured text): its direction
 * follows its own first strong character, so Arabic and Persian read right to left inside a
 * left-to-right UI, and its invisible characters are drawn as code points (`UntrustedText`).
 */
export function BidiText({
  text,
  className,
  title,
}: Readonly<{ text: string; className?: string; title?: string }>) {
  return (
    <span
      dir="auto"
      className={['bidi', className].filter(Boolean).join(' ')}
      title={title === undefined ? undefined : withInvisiblesShown(title)}
    >
      <UntrustedText text={text} />
    </span>
  );
}

/**
 * Text an investigator typed or pasted (a case's number, a selector's value, a remote's name) set
 * left to right in the monospaced face, its invisible characters drawn as code points: a number
 * pasted from a smuggler's page may carry an override or a zero-width space.
 */
export function MonoText({ text, className }: Readonly<{ text: string; className?: string }>) {
  return (
    <span dir="ltr" className={['mono', className].filter(Boolean).join(' ')}>
      <UntrustedText text={text} />
    </span>
  );
}

/**
 * A case as a screen's heading names it, "BE-2026-0142 · Boat crossings": its number left to right
 * and its title in its own direction, both typed or pasted by an investigator and so drawn as
 * text from outside (`UntrustedText`); the whole as a tooltip, its invisible characters written.
 */
export function CaseName({
  value,
  className,
}: Readonly<{ value: { readonly number: string; readonly title: string }; className?: string }>) {
  return (
    <div className={className} title={withInvisiblesShown(`${value.number} · ${value.title}`)}>
      <MonoText text={value.number} /> · <BidiText text={value.title} />
    </div>
  );
}

/** An address: always left to right, whatever script its path holds. */
export function UrlText({ url, className }: Readonly<{ url: string; className?: string }>) {
  return (
    <span
      dir="ltr"
      className={['bidi', 'mono', className].filter(Boolean).join(' ')}
      title={withInvisiblesShown(url)}
    >
      <UntrustedText text={url} />
    </span>
  );
}

/** Characters kept at the end of a shortened address: enough for a post's id or a query's last value. */
const URL_TAIL = 14;

/**
 * An address on one line, shortened in the middle when it does not fit: the start (scheme and
 * host) is cut with an ellipsis and the end (the post's id) stays. The full address is its tooltip
 * and is what a selection copies (the cut is drawn by CSS, the text is whole).
 */
export function ShortUrl({ url, className }: Readonly<{ url: string; className?: string }>) {
  const tail = url.length > URL_TAIL * 2 ? url.slice(-URL_TAIL) : '';
  return (
    <span
      dir="ltr"
      className={['short-url', 'mono', className].filter(Boolean).join(' ')}
      title={withInvisiblesShown(url)}
      data-url={url}
    >
      <span className="short-url-head">
        <UntrustedText text={tail ? url.slice(0, -URL_TAIL) : url} />
      </span>
      {tail && (
        <span className="short-url-tail">
          <UntrustedText text={tail} />
        </span>
      )}
    </span>
  );
}

/** A hash, shortened to its first characters unless `full`; the full value is in its tooltip. */
export function HashText({
  hash,
  full = false,
  length = 12,
}: Readonly<{ hash: string; full?: boolean; length?: number }>) {
  return (
    <span className="hash" dir="ltr" title={hash}>
      {full ? hash : `${hash.slice(0, length)}…`}
    </span>
  );
}

/**
 * Copies a value to the clipboard, saying so for a moment; `name` tells apart, for a screen
 * reader, several Copy buttons on one screen (it holds the visible word, as WCAG asks).
 */
export function CopyButton({
  value,
  label,
  name,
}: Readonly<{ value: string; label?: string; name?: string }>) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="btn small"
      aria-label={copied ? undefined : name}
      onClick={() => {
        void navigator.clipboard?.writeText(value).then(
          () => {
            setCopied(true);
            setTimeout(() => setCopied(false), 1500);
          },
          () => setCopied(false),
        );
      }}
    >
      <Icon name={copied ? 'check' : 'copy'} size={14} />
      {copied ? t('common.copied') : (label ?? t('common.copy'))}
    </button>
  );
}
