/**
 * The one place where untrusted text (page titles, URLs, notes, names) becomes HTML in the report
 * and the PDF's page templates: every such string goes through `htmlText`.
 */

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Any value as escaped HTML text (null and undefined as nothing). */
export function htmlText(value: unknown): string {
  return escapeHtml(value === null || value === undefined ? '' : String(value));
}
