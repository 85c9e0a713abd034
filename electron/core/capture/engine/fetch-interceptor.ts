import type { Protocol } from 'devtools-protocol';
import type { CdpSession } from './cdp-session.js';
import { headerValue } from './http-headers.js';
import type { NetworkRecorder } from './network-recorder.js';
import { seconds, withTimeout } from './timing.js';

/**
 * Decides whether a document (page or frame) request may go ahead (`request`), and whether a
 * document response may reach the page (`response`, e.g. not a file download); a reason blocks it.
 */
export interface DocumentPolicy {
  readonly request: (event: Protocol.Fetch.RequestPausedEvent) => string | null;
  readonly response: (event: Protocol.Fetch.RequestPausedEvent) => string | null;
}

/** Where paused responses and their bodies go: a recorder, or whichever recorder is current. */
export type BodySink = Pick<NetworkRecorder, 'addPausedResponse' | 'addFetchedBody'>;

/** Limits on the bodies taken for the WARC. */
export interface BodyLimits {
  /** Larger bodies are not stored (the record says so). */
  readonly maxBodyBytes: number;
  /** A body that has not fully arrived by then is given up (a stream that never ends). */
  readonly bodyTimeoutMs: number;
}

/** Responses that may never end or are too big to hold: let them through untouched. */
const STREAMING_TYPES = new Set(['Media', 'EventSource', 'WebSocket', 'Ping']);
const STREAMING_MEDIA_TYPES = /^(text\/event-stream|multipart\/x-mixed-replace|video\/|audio\/)/i;

/**
 * Intercepts a session's traffic with the Fetch domain: every response pauses until its body has
 * been copied (the Fetch domain hands over the bytes as sent, where `Network.getResponseBody`
 * gives text already decoded from the page's charset), and every document request is put to
 * `policy`, which blocks navigations the page must not make.
 */
export async function interceptFetch(
  session: CdpSession,
  recorder: BodySink,
  policy: DocumentPolicy,
  limits: BodyLimits,
): Promise<void> {
  session.on('Fetch.requestPaused', (event) => {
    void handlePaused(session, recorder, policy, limits, event).catch(() => {
      // The target went away while the request was paused: nothing left to continue.
    });
  });
  await session.send('Fetch.enable', {
    patterns: [
      { urlPattern: '*', resourceType: 'Document', requestStage: 'Request' },
      // Only the web's answers: the browser's own pages (the PDF viewer, an extension, at chrome:
      // and chrome-extension: addresses) are not the page's evidence, and pausing them to copy
      // their bodies kept the PDF viewer from ever showing a captured PDF.
      { urlPattern: 'http://*', requestStage: 'Response' },
      { urlPattern: 'https://*', requestStage: 'Response' },
    ],
  });
}

async function handlePaused(
  session: CdpSession,
  recorder: BodySink,
  policy: DocumentPolicy,
  limits: BodyLimits,
  event: Protocol.Fetch.RequestPausedEvent,
): Promise<void> {
  const { requestId } = event;
  const atResponse = event.responseStatusCode !== undefined || event.responseErrorReason !== undefined;
  if (!atResponse) {
    const blocked = policy.request(event);
    // Aborted, not BlockedByClient: a blocked navigation must leave the page as it was, where
    // any other error would replace it with the browser's error page.
    if (blocked) await session.send('Fetch.failRequest', { requestId, errorReason: 'Aborted' });
    else await session.send('Fetch.continueRequest', { requestId });
    return;
  }
  if (event.responseErrorReason !== undefined) {
    await session.send('Fetch.continueRequest', { requestId });
    return;
  }
  const networkId = event.networkId ?? requestId;
  recorder.addPausedResponse(networkId, event);
  const skip = bodySkipReason(event, limits);
  if (skip) {
    recorder.addFetchedBody(networkId, event.request.url, Promise.resolve(skip));
  } else {
    const timedOut = `the body did not arrive within ${seconds(limits.bodyTimeoutMs)}`;
    const body = withTimeout(
      session.send('Fetch.getResponseBody', { requestId }),
      limits.bodyTimeoutMs,
      timedOut,
    ).then(({ body, base64Encoded }) => Buffer.from(body, base64Encoded ? 'base64' : 'utf8'));
    recorder.addFetchedBody(networkId, event.request.url, body);
    const failure = await body.then(
      () => null,
      (error: Error) => error.message,
    );
    // A body that never arrived leaves the request paused (continuing it now is undefined
    // behaviour in Chromium); it is cut off when the tab closes. Any other failure lets it go on.
    if (failure === timedOut) return;
  }
  // Checked after the body was taken: a refused download is kept in the WARC, never handed over.
  if (event.resourceType === 'Document' && policy.response(event)) {
    await session.send('Fetch.failRequest', { requestId, errorReason: 'Aborted' });
    return;
  }
  await session.send('Fetch.continueResponse', { requestId });
}

function bodySkipReason(event: Protocol.Fetch.RequestPausedEvent, limits: BodyLimits): string | null {
  const headers = (event.responseHeaders ?? []).map((h) => [h.name, h.value] as const);
  const status = event.responseStatusCode ?? 0;
  if (event.request.method === 'HEAD' || status === 204 || status === 304)
    return 'no body: the response has none';
  // Chromium does not hand over the body of a redirect; the browser never shows it either.
  if (status >= 300 && status < 400 && headerValue(headers, 'location') !== undefined)
    return 'no body: a redirect';
  const type = headerValue(headers, 'content-type') ?? '';
  if (STREAMING_TYPES.has(event.resourceType) || STREAMING_MEDIA_TYPES.test(type)) {
    return `body not stored: a ${event.resourceType.toLowerCase()} stream (${type || 'no content type'}) may never end`;
  }
  const length = Number(headerValue(headers, 'content-length') ?? Number.NaN);
  if (Number.isFinite(length) && length > limits.maxBodyBytes) {
    return `body not stored: ${length} bytes is more than the ${limits.maxBodyBytes}-byte limit per resource`;
  }
  return null;
}
