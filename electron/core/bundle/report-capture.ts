/**
 * The capture record of a web capture as the report prints it: what was asked for and what answered
 * (requested URL, every redirect with its status, final URL, HTTP status with errors flagged, server
 * address, TLS certificate), how the page was seen (user agent, viewport, persona), when (start and
 * end, UTC and the investigator's local time), and what the page tried and was stopped from doing.
 * The record is the item's `metadata` artifact, read as the hostile data it may be: every field is
 * checked for its type before it is shown.
 */
import type { WebCaptureRecord } from '../capture/engine/capture-record.js';
import { htmlText as esc } from './html-text.js';
import { localText, utcText } from './report-time.js';

/** A table row: a label and HTML already escaped. */
type Row = readonly [label: string, html: string];

/** A value of the record read loosely (a hostile or older record may lack any field). */
type Loose<T> = { readonly [K in keyof T]?: unknown };

const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const num = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;
const list = (value: unknown): readonly unknown[] => (Array.isArray(value) ? value : []);
const obj = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};

/** A URL in the report: monospace, left to right, wrapped anywhere, never cut. */
export function urlHtml(url: string): string {
  return `<code class="url" dir="ltr">${esc(url)}</code>`;
}

/** A time in UTC and in the named zone's local time with its offset, on two lines. */
export function timeHtml(iso: string, timeZone: string | null): string {
  const local = timeZone ? localText(iso, timeZone) : null;
  return `<span class="time">${esc(utcText(iso))}</span>${local ? `<br><span class="time">${esc(local)}</span> <span class="muted">local</span>` : ''}`;
}

/** Whether a parsed JSON value looks like a web capture record (the `metadata` artifact of a capture). */
export function isWebCaptureRecord(value: unknown): value is Loose<WebCaptureRecord> {
  return obj(value).recordType === 'custos.web-capture';
}

/** An HTTP status with its meaning and, for 4xx and 5xx, a flag a reader cannot miss. */
export function statusHtml(status: number | null, statusLine: string | null): string {
  if (status === null) return 'not recorded';
  const text = esc(statusLine ?? String(status));
  if (status >= 500)
    return `<span class="flag">${text}: SERVER ERROR (HTTP ${status}), the server failed to give the page</span>`;
  if (status >= 400)
    return `<span class="flag">${text}: CLIENT ERROR (HTTP ${status}), the page was not found, gone or refused</span>`;
  return text;
}

/**
 * Why the address the page showed differs from the final URL. Only a change the page made after
 * loading is a script's: a fragment is never sent to the server (so the final URL of a record made
 * before final URLs kept the requested fragment lacks it), and for an error answer with no body the
 * browser shows a page of its own.
 */
export function whyAddressDiffers(
  documentUrl: string,
  finalUrl: string | null,
  requestedUrl: string | null,
): string {
  if (documentUrl.startsWith('chrome-error:'))
    return "the browser's own error page, shown in place of the server's answer, which had no body";
  const hash = documentUrl.indexOf('#');
  // A final URL with the requested fragment, and the page then at another: only that part moved
  // (a link within the page, or its script), the address did not.
  const finalHash = finalUrl?.indexOf('#') ?? -1;
  if (hash >= 0 && finalUrl && finalHash >= 0 && documentUrl.slice(0, hash) === finalUrl.slice(0, finalHash))
    return 'the part after # changed after loading';
  if (hash >= 0 && documentUrl.slice(0, hash) === finalUrl) {
    const fragment = documentUrl.slice(hash);
    const requestedFragment = requestedUrl?.includes('#')
      ? requestedUrl.slice(requestedUrl.indexOf('#'))
      : null;
    return fragment === requestedFragment
      ? 'the final URL with the fragment the requested URL carried: a browser never sends the part after # to the server'
      : 'the page added the part after # after loading';
  }
  return 'a script changed it after loading';
}

/** The rows of the capture record: request, redirects, answer, server, TLS, browser, times. */
export function captureRecordRows(record: Loose<WebCaptureRecord>, personaNote: string): Row[] {
  const server = obj(record.server);
  const browser = obj(record.browser);
  const viewport = obj(browser.viewport);
  const capture = obj(record.capture);
  const zone = str(capture.timeZone);
  const rows: Row[] = [];
  const requested = str(record.requestedUrl);
  if (requested) rows.push(['Requested URL', urlHtml(requested)]);
  rows.push(['Redirects', redirectsHtml(list(record.redirectChain))]);
  const final = str(record.finalUrl);
  if (final) rows.push(['Final URL', urlHtml(final)]);
  const documentUrl = str(record.documentUrl);
  if (documentUrl && documentUrl !== final)
    rows.push([
      'Address shown when captured',
      `${urlHtml(documentUrl)} (${esc(whyAddressDiffers(documentUrl, final, requested))})`,
    ]);
  rows.push(['HTTP status', statusHtml(num(record.httpStatus), str(record.statusLine))]);
  const ip = str(server.ip);
  rows.push([
    'Server IP address',
    ip
      ? `<code dir="ltr">${esc(ip)}${num(server.port) !== null ? `:${esc(server.port)}` : ''}</code>${str(server.protocol) ? ` (${esc(server.protocol)})` : ''}`
      : 'not recorded (served from cache or a service worker)',
  ]);
  rows.push(['TLS', tlsHtml(record.tls)]);
  const title = str(obj(record.page).title);
  if (title) rows.push(['Page title', `<span dir="auto">${esc(title)}</span>`]);
  const ua = str(browser.userAgent);
  if (ua) rows.push(['User agent', `<code class="url" dir="ltr">${esc(ua)}</code>`]);
  const width = num(viewport.width);
  const height = num(viewport.height);
  if (width !== null && height !== null)
    rows.push([
      'Viewport',
      `${esc(width)} × ${esc(height)} CSS pixels${num(browser.deviceScaleFactor) !== null ? `, device scale ${esc(browser.deviceScaleFactor)}` : ''}`,
    ]);
  rows.push(['Persona', personaNote]);
  const started = str(capture.startedAt);
  const ended = str(capture.endedAt);
  if (started) rows.push(['Capture started', timeHtml(started, zone)]);
  if (ended) rows.push(['Capture ended', timeHtml(ended, zone)]);
  if (zone)
    rows.push([
      'Workstation time zone',
      `${esc(zone)}${str(capture.utcOffset) ? `, UTC${esc(capture.utcOffset)} at the start` : ''}`,
    ]);
  const notes = list(record.notes).filter((n): n is string => typeof n === 'string');
  if (notes.length > 0) rows.push(['Capture notes', notes.map((n) => esc(n)).join('<br>')]);
  return rows;
}

/** The persona as the report names it: by name, or the fresh anonymous profile. */
export function personaHtml(persona: unknown): string {
  const name = str(persona);
  return name
    ? `<span dir="auto">${esc(name)}</span> (an undercover profile: the page was seen as that account sees it)`
    : 'none: a fresh, anonymous profile with no login';
}

function redirectsHtml(chain: readonly unknown[]): string {
  if (chain.length === 0) return 'none: the requested URL answered directly';
  const rows = chain
    .map((hop, index) => {
      const h = obj(hop);
      const kind = h.kind === 'client' ? 'moved on by the page (script or refresh)' : 'HTTP redirect';
      return `<tr><td>${index + 1}</td><td>${urlHtml(str(h.url) ?? '')}</td><td>${esc(num(h.status) ?? '')}</td><td>${kind}${str(h.location) ? `<br>to ${urlHtml(str(h.location) ?? '')}` : ''}</td></tr>`;
    })
    .join('');
  return `<table class="grid inner"><colgroup><col style="width:2em"><col><col style="width:4.5em"><col style="width:38%"></colgroup><tr><th>#</th><th>URL</th><th>Status</th><th>How</th></tr>${rows}</table>`;
}

function tlsHtml(value: unknown): string {
  if (value === null || value === undefined) return 'none: plain HTTP (no encryption, no certificate)';
  const tls = obj(value);
  const cert = obj(tls.certificate);
  const line = (label: string, text: unknown) =>
    str(text) ? `<div><span class="muted">${label}:</span> <span dir="ltr">${esc(text)}</span></div>` : '';
  return [
    line('Protocol', [str(tls.protocol), str(tls.cipher)].filter(Boolean).join(', ')),
    line('Certificate subject', cert.subject),
    line('Issuer', cert.issuer),
    line('Valid', str(cert.validFrom) && str(cert.validTo) ? `${cert.validFrom} to ${cert.validTo}` : null),
    str(cert.sha256Fingerprint)
      ? `<div><span class="muted">Certificate SHA-256:</span> <span class="hash">${esc(cert.sha256Fingerprint)}</span></div>`
      : '',
  ].join('');
}

/** "What the page tried and was stopped from doing": one row per attempt, and how many were not listed. */
export function blockedHtml(record: Loose<WebCaptureRecord>): string {
  const attempts = list(record.blocked);
  const notListed = num(record.blockedNotListed) ?? 0;
  if (attempts.length === 0 && notListed === 0)
    return '<p>Blocked actions: none. The page tried nothing the capture browser refuses.</p>';
  const rows = attempts
    .map((attempt) => {
      const a = obj(attempt);
      return `<tr><td>${esc(a.kind)}</td><td dir="auto">${esc(a.detail)}</td><td>${str(a.url) ? urlHtml(str(a.url) ?? '') : ''}</td><td>${str(a.at) ? `<span class="time">${esc(utcText(str(a.at) ?? ''))}</span>` : ''}</td><td>${num(a.repeated) ? `${esc(a.repeated)} more` : ''}</td></tr>`;
    })
    .join('');
  return `<h4>Blocked actions</h4>
<p>What the page tried and the capture browser stopped (no window opened, no file read, no permission given).</p>
<table class="grid"><colgroup><col style="width:12%"><col style="width:30%"><col><col style="width:19%"><col style="width:9%"></colgroup>
<tr><th>Kind</th><th>What</th><th>Address</th><th>First tried</th><th>Repeated</th></tr>${rows}</table>
${notListed > 0 ? `<p>${esc(notListed)} more attempt(s) were counted but not listed.</p>` : ''}`;
}
