import { UNSAFE_CHARACTERS } from '../../../shared/untrusted-text.js';
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
 * Any value as escaped HTML text (null and undefined as nothing). Control and bidi characters are
 * shown as `\x1b`, `\u202e` (as the CLI shows them), so that a court reads what was there and an
 * override cannot make `invoice‮txt.exe` read as `invoiceexe.txt`; a CR before a newline is a
 * line ending (a Windows text file), not a trick, and is kept as the line break it is.
 */
export function htmlText(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  if (!NEEDS_ESCAPE.test(text)) return text;
  return escapeHtml(escapeUntrusted(text.replace(/\r\n/g, '\n')));
}

/**
 * Every character `htmlText` changes: HTML's five, and the controls and bidi marks of
 * `escapeUntrusted` (CR among them). Text with none is returned as it is, without three passes.
 */
const NEEDS_ESCAPE = new RegExp(`[${HTML_SPECIAL}${UNSAFE_CHARACTERS}]`);
