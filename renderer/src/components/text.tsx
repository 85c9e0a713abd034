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

/** Copies a value to the clipboard, saying so for a moment. */
export function CopyButton({ value, label }: Readonly<{ value: string; label?: string }>) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="btn small"
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
