import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  parseRawHead,
  splitCdpHeaders,
  statusLineFor,
  warcRequestHeaders,
  warcResponseHeaders,
} from '../../../../electron/core/capture/engine/http-headers.js';

describe('HTTP headers for the WARC and the record', () => {
  it('splits the values DevTools joins with newlines back into repeated headers', () => {
    expect(
      splitCdpHeaders({ 'Set-Cookie': 'a=1; Path=/\nb=2; Path=/', 'Content-Type': 'text/html' }),
    ).toEqual([
      ['Set-Cookie', 'a=1; Path=/'],
      ['Set-Cookie', 'b=2; Path=/'],
      ['Content-Type', 'text/html'],
    ]);
  });

  it('reads a raw HTTP/1.1 head with its status line and headers in wire order', () => {
    const head = parseRawHead(
      'HTTP/1.1 404 Not Found\r\nset-cookie: a=1\r\nSet-Cookie: b=2\r\nX-Empty:\r\n\r\n',
    );
    expect(head).toEqual({
      statusLine: 'HTTP/1.1 404 Not Found',
      headers: [
        ['set-cookie', 'a=1'],
        ['Set-Cookie', 'b=2'],
        ['X-Empty', ''],
      ],
    });
    expect(parseRawHead(':status: 200')).toBeNull();
  });

  it('writes an HTTP/1.1 status line for HTTP/2 responses, with the standard reason', () => {
    expect(statusLineFor(200, '')).toBe('HTTP/1.1 200 OK');
    expect(statusLineFor(451, undefined)).toBe('HTTP/1.1 451 Unavailable For Legal Reasons');
    expect(statusLineFor(299, '')).toBe('HTTP/1.1 299');
  });

  it('renames the encoding headers of a decoded body and gives its real length', () => {
    const { headers, renamed } = warcResponseHeaders(
      [
        ['Content-Type', 'text/css'],
        ['Content-Encoding', 'br'],
        ['Content-Length', '120'],
        ['Transfer-Encoding', 'chunked'],
      ],
      400,
    );
    expect(headers).toEqual([
      ['Content-Type', 'text/css'],
      ['X-Custos-Orig-Content-Encoding', 'br'],
      ['X-Custos-Orig-Content-Length', '120'],
      ['X-Custos-Orig-Transfer-Encoding', 'chunked'],
      ['Content-Length', '400'],
    ]);
    expect(renamed).toHaveLength(3);
  });

  it('leaves an uncompressed response with the right length as it came', () => {
    const original: [string, string][] = [
      ['Content-Length', '5'],
      ['Content-Type', 'text/plain'],
    ];
    expect(warcResponseHeaders(original, 5)).toEqual({ headers: original, renamed: [] });
  });

  it('withholds cookies and credentials from request records, keeping their SHA-256, and drops HTTP/2 pseudo-headers', () => {
    const cookie = 'session=undercover-42; lang=ar';
    const { headers, redacted } = warcRequestHeaders([
      [':authority', 'social.example'],
      [':path', '/feed'],
      ['Cookie', cookie],
      ['Authorization', 'Bearer abc'],
      ['Accept', 'text/html'],
    ]);
    expect(redacted).toBe(2);
    expect(headers).toEqual([
      ['Host', 'social.example'],
      ['Cookie', `[withheld by Custos; sha256=${createHash('sha256').update(cookie).digest('hex')}]`],
      [
        'Authorization',
        `[withheld by Custos; sha256=${createHash('sha256').update('Bearer abc').digest('hex')}]`,
      ],
      ['Accept', 'text/html'],
    ]);
  });
});
