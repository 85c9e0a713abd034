import { hasUnsafe } from '../../../shared/untrusted-text.js';
import { escapeUntrusted } from '../escape-untrusted.js';

/**
 * The one place where untrusted text (page titles, URLs, notes, names) becomes HTML in the report
 * and the PDF's page templates: every such string goes through `htmlText`.
 */

/** HTML's five: the characters `escapeHtml` writes as character references. */
const HTML_SPECIAL = `&<>"'`;
const HTML_SPECIAL_PATTERN = new RegExp(`[${HTML_SPECIAL}]`, 'g');

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(HTML_SPECIAL_PATTERN, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Any value as escaped HTML text (null and undefined as nothing). The characters of the one list
 * (`shared/untrusted-text.ts`) are shown as `\x1b`, `\u202e`, `\u{e0041}` (as the CLI shows them),
 * so that a court reads what was there and an override cannot make `invoice‮txt.exe` read as
 * `invoiceexe.txt`; a CR before a newline is a line ending (a Windows text file), not a trick, and
 * is kept as the line break it is.
 */
export function htmlText(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  if (!HTML_SPECIAL_ANY.test(text) && !hasUnsafe(text)) return text;
  return escapeHtml(escapeUntrusted(text.replace(/\r\n/g, '\n')));
}

/**
 * Whether text holds one of HTML's five; text with none and no character `escapeUntrusted`
 * changes (CR among them) is returned as it is, without three passes.
 */
const HTML_SPECIAL_ANY = new RegExp(`[${HTML_SPECIAL}]`);
