import { escapeUntrusted } from '../escape-untrusted.js';

/**
 * The one place where untrusted text (page titles, URLs, notes, names) becomes HTML in the report
 * and the PDF's page templates: every such string goes through `htmlText`.
 */

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Any value as escaped HTML text (null and undefined as nothing). Control and bidi characters are
 * shown as `\x1b`, `\u202e` (as the CLI shows them), so that a court reads what was there and an
 * override cannot make `invoice‮txt.exe` read as `invoiceexe.txt`; a CR before a newline is a
 * line ending (a Windows text file), not a trick, and is kept as the line break it is.
 */
export function htmlText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return escapeHtml(escapeUntrusted(String(value).replace(/\r\n/g, '\n')));
}
