import { useState } from 'react';
import { t } from '../i18n/i18n.js';
import { Icon } from './icons.js';

/**
 * Text that came from outside (a page title, a note, captured text): its direction follows its own
 * first strong character, so Arabic and Persian read right to left inside a left-to-right UI.
 */
export function BidiText({
  text,
  className,
  title,
}: Readonly<{ text: string; className?: string; title?: string }>) {
  return (
    <span dir="auto" className={['bidi', className].filter(Boolean).join(' ')} title={title}>
      {text}
    </span>
  );
}

/** An address: always left to right, whatever script its path holds. */
export function UrlText({ url, className }: Readonly<{ url: string; className?: string }>) {
  return (
    <span dir="ltr" className={['bidi', 'mono', className].filter(Boolean).join(' ')} title={url}>
      {url}
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
      title={url}
      data-url={url}
    >
      <span className="short-url-head">{tail ? url.slice(0, -URL_TAIL) : url}</span>
      {tail && <span className="short-url-tail">{tail}</span>}
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
