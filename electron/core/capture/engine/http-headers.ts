import { createHash } from 'node:crypto';
import { STATUS_CODES } from 'node:http';

/** HTTP header fields in order, repeated names kept as separate entries. */
export type HeaderList = readonly (readonly [string, string])[];

/**
 * Header fields from a DevTools `Headers` object. DevTools joins the values of a repeated header
 * with newlines (several `Set-Cookie` become one value), so they are split back into entries.
 */
export function splitCdpHeaders(headers: Readonly<Record<string, unknown>> | undefined): [string, string][] {
  const list: [string, string][] = [];
  for (const [name, value] of Object.entries(headers ?? {})) {
    for (const part of String(value).split('\n')) list.push([name, part]);
  }
  return list;
}

/** The status line and header fields of a raw HTTP/1.x response head, as it came off the wire. */
export function parseRawHead(
  headersText: string,
): { statusLine: string; headers: [string, string][] } | null {
  const lines = headersText.split(/\r?\n/);
  const statusLine = lines.shift();
  if (!statusLine || !/^HTTP\/\d/.test(statusLine)) return null;
  const headers: [string, string][] = [];
  for (const line of lines) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    headers.push([line.slice(0, colon), line.slice(colon + 1).trim()]);
  }
  return { statusLine, headers };
}

/** An HTTP/1.1 status line for a response that did not arrive as HTTP/1.x text (HTTP/2, HTTP/3). */
export function statusLineFor(status: number, statusText: string | undefined): string {
  const reason = statusText?.trim() || STATUS_CODES[status] || '';
  return `HTTP/1.1 ${status}${reason ? ` ${reason}` : ''}`;
}

/** The first value of a header, case-insensitively. */
export function headerValue(headers: HeaderList, name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers.find(([key]) => key.toLowerCase() === lower)?.[1];
}

/** Headers whose values log a person in; kept out of the WARC so a bundle never carries a persona's session. */
const CREDENTIAL_REQUEST_HEADERS = new Set(['cookie', 'authorization', 'proxy-authorization']);

/**
 * Request headers as they go into a WARC request record: HTTP/2 pseudo-headers (`:path`…) dropped
 * (the request line carries them), and credentials replaced by their SHA-256 so that the record
 * proves which value was sent without handing the session over with the evidence.
 */
export function warcRequestHeaders(headers: HeaderList): { headers: [string, string][]; redacted: number } {
  let redacted = 0;
  const out: [string, string][] = [];
  const authority = headerValue(headers, ':authority');
  for (const [name, value] of headers) {
    if (name.startsWith(':')) continue;
    if (CREDENTIAL_REQUEST_HEADERS.has(name.toLowerCase())) {
      redacted++;
      out.push([
        name,
        `[withheld by Custos; sha256=${createHash('sha256').update(value, 'utf8').digest('hex')}]`,
      ]);
    } else {
      out.push([name, value]);
    }
  }
  if (authority && headerValue(out, 'host') === undefined) out.unshift(['Host', authority]);
  return { headers: out, redacted };
}

/** Names whose values describe the bytes on the wire, which are not the bytes DevTools hands over. */
const TRANSFER_HEADERS = new Set(['content-encoding', 'transfer-encoding', 'content-length']);

/**
 * Response headers for a WARC response record whose body is stored decoded (DevTools gives bodies
 * after HTTP content decoding): `Content-Encoding` and `Transfer-Encoding` no longer describe the
 * stored bytes, so they are renamed `X-Custos-Orig-…` (kept, not lost), and `Content-Length` is
 * set to the stored length.
 */
export function warcResponseHeaders(
  headers: HeaderList,
  bodyLength: number,
): { headers: [string, string][]; renamed: string[] } {
  const out: [string, string][] = [];
  const renamed: string[] = [];
  let lengthKept = false;
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    if (
      !TRANSFER_HEADERS.has(lower) ||
      (lower === 'content-length' && value.trim() === String(bodyLength) && !lengthKept)
    ) {
      out.push([name, value]);
      lengthKept ||= lower === 'content-length';
      continue;
    }
    renamed.push(`${name}: ${value}`);
    out.push([`X-Custos-Orig-${name}`, value]);
  }
  if (!lengthKept) out.push(['Content-Length', String(bodyLength)]);
  return { headers: out, renamed };
}
