import type { Protocol } from 'devtools-protocol';
import type { BodySpool, SpooledBody } from './body-spool.js';
import type { CdpSession } from './cdp-session.js';
import {
  type HeaderList,
  headerValue,
  parseRawHead,
  splitCdpHeaders,
  statusLineFor,
} from './http-headers.js';

/** How a stored body relates to the bytes the server sent. */
export type BodySource =
  /** The bytes after HTTP content decoding, byte for byte (from the Fetch domain). */
  | 'raw'
  /** Text as the browser decoded it, re-encoded as UTF-8: the original charset's bytes are lost. */
  | 'decoded-text';

/** A response as recorded: the best header source DevTools offered. */
export interface RecordedResponse {
  readonly status: number;
  readonly statusLine: string;
  readonly headers: HeaderList;
  /**
   * `wire`: the raw HTTP/1.x head; `extra-info`: the headers as the network stack got them;
   * `renderer`: as the page saw them; `interception`: as paused by the Fetch domain (a response
   * whose body never finished, so the page never saw it).
   */
  readonly headersFrom: 'wire' | 'extra-info' | 'renderer' | 'interception';
  readonly protocol: string | undefined;
  readonly mimeType: string;
  readonly remoteIPAddress: string | undefined;
  readonly remotePort: number | undefined;
  readonly securityDetails: Protocol.Network.SecurityDetails | undefined;
  readonly receivedAt: string;
}

/** One request and its response (one hop of a redirect chain is one exchange). */
export interface Exchange {
  readonly requestId: string;
  readonly hop: number;
  readonly url: string;
  readonly method: string;
  readonly resourceType: string;
  readonly frameId: string | undefined;
  readonly loaderId: string;
  readonly startedAt: string;
  readonly requestHeaders: HeaderList;
  readonly requestHeadersFrom: 'extra-info' | 'renderer';
  readonly postData: Buffer | undefined;
  readonly response: RecordedResponse | undefined;
  readonly body: (SpooledBody & { readonly source: BodySource }) | undefined;
  readonly bodyProblem: string | undefined;
  readonly state: 'pending' | 'finished' | 'failed' | 'redirected';
  readonly errorText: string | undefined;
  readonly finishedAt: string | undefined;
}

/** Resource types whose requests may stay open for the life of the page; they never hold up "network idle". */
const LONG_LIVED_TYPES = new Set(['EventSource', 'WebSocket', 'Media', 'Ping']);

interface MutableHop {
  requestId: string;
  hop: number;
  url: string;
  method: string;
  resourceType: string;
  frameId: string | undefined;
  loaderId: string;
  startedAt: string;
  rendererHeaders: HeaderList;
  postData: Buffer | undefined;
  response: Protocol.Network.Response | undefined;
  responseAt: string | undefined;
  state: Exchange['state'];
  errorText: string | undefined;
  finishedAt: string | undefined;
  body: (SpooledBody & { source: BodySource }) | undefined;
  bodyProblem: string | undefined;
  /** The response came from the browser itself, not over the network (see `madeByBrowser`). */
  madeByBrowser: boolean;
}

interface ExtraInfo {
  requests: Protocol.Network.Headers[];
  responses: Protocol.Network.ResponseReceivedExtraInfoEvent[];
}

/**
 * Records every request and response a page makes, in every frame and worker, from the first
 * request on: what the WARC, the redirect chain and the capture record are made of. Events come
 * from several sessions (the page and its child targets); request ids are unique across them.
 */
export class NetworkRecorder {
  private readonly hops: MutableHop[] = [];
  private readonly current = new Map<string, MutableHop>();
  private readonly extra = new Map<string, ExtraInfo>();
  private readonly fetchedBodies = new Map<
    string,
    Promise<(SpooledBody & { source: BodySource }) | string>[]
  >();
  /** Responses paused by the Fetch domain, with the request they answer, by network id and URL. */
  private readonly paused = new Map<
    string,
    { readonly event: Protocol.Fetch.RequestPausedEvent; readonly response: RecordedResponse }
  >();
  private readonly bodyTasks = new Set<Promise<unknown>>();
  /**
   * Requests whose whole body arrived through the Fetch domain. Their end may never be reported to
   * the recorder (a worker's script ends in the worker's own session, which may not be listened to
   * yet), but they are over all the same.
   */
  private readonly bodiesArrived = new Set<string>();
  private recording = true;
  private lastActivity = Date.now();

  constructor(private readonly spool: BodySpool) {}

  /** Starts recording a session's traffic (call before it loads anything). */
  async attach(session: CdpSession): Promise<void> {
    session.on('Network.requestWillBeSent', (e) => this.onRequest(e));
    session.on('Network.requestWillBeSentExtraInfo', (e) =>
      this.extraFor(e.requestId).requests.push(e.headers),
    );
    session.on('Network.responseReceivedExtraInfo', (e) => this.extraFor(e.requestId).responses.push(e));
    session.on('Network.responseReceived', (e) => this.onResponse(e));
    session.on('Network.loadingFinished', (e) => this.onFinished(session, e));
    session.on('Network.loadingFailed', (e) => this.onFailed(e));
    session.on('Page.frameNavigated', ({ frame }) => this.onDocumentReplaced(frame.id, frame.loaderId));
    await Promise.all([
      session.send('Network.enable', {
        // Bodies are taken as soon as each response completes; these buffers only bridge that moment.
        maxTotalBufferSize: 256 * 1024 * 1024,
        maxResourceBufferSize: 64 * 1024 * 1024,
      }),
      // Every resource must travel over the network to be recorded: no cache, no service worker.
      session.send('Network.setCacheDisabled', { cacheDisabled: true }),
      session.send('Network.setBypassServiceWorker', { bypass: true }).catch(() => undefined),
    ]);
  }

  /** Stores a body taken at the Fetch domain's response stage (byte-exact). */
  addFetchedBody(networkId: string, url: string, body: Promise<Uint8Array | string>): void {
    if (!this.recording) return;
    const key = `${networkId}\n${url}`;
    const stored = body.then(
      async (bytes) => {
        if (typeof bytes === 'string') return bytes;
        this.bodiesArrived.add(key);
        this.lastActivity = Date.now();
        return { ...(await this.spool.append(bytes)), source: 'raw' as const };
      },
      (error: Error) => `the body could not be read: ${error.message}`,
    );
    this.track(stored);
    const list = this.fetchedBodies.get(key) ?? [];
    list.push(stored);
    this.fetchedBodies.set(key, list);
  }

  /**
   * Keeps the status and headers of a response paused by the Fetch domain, for the exchange whose
   * response the page never received (its body never finished).
   */
  addPausedResponse(networkId: string, event: Protocol.Fetch.RequestPausedEvent): void {
    if (!this.recording) return;
    const status = event.responseStatusCode ?? 0;
    this.paused.set(`${networkId}\n${event.request.url}`, {
      event,
      response: {
        status,
        statusLine: statusLineFor(status, event.responseStatusText),
        headers: (event.responseHeaders ?? []).map((h) => [h.name, h.value] as const),
        headersFrom: 'interception',
        protocol: undefined,
        mimeType: '',
        remoteIPAddress: undefined,
        remotePort: undefined,
        securityDetails: undefined,
        receivedAt: new Date().toISOString(),
      },
    });
  }

  /** Requests still open, not counting streams that may never end. */
  get inFlight(): number {
    let count = 0;
    for (const hop of this.current.values()) {
      if (hop.state !== 'pending' || LONG_LIVED_TYPES.has(hop.resourceType)) continue;
      if (!this.bodiesArrived.has(`${hop.requestId}\n${hop.url}`)) count++;
    }
    return count;
  }

  /** Milliseconds since the last request started or ended. */
  get quietFor(): number {
    return Date.now() - this.lastActivity;
  }

  /** Stops recording: later traffic is not part of the capture. Waits for bodies being stored. */
  async stop(): Promise<void> {
    this.recording = false;
    while (this.bodyTasks.size > 0) await Promise.allSettled([...this.bodyTasks]);
  }

  /** Waits for the bodies being stored, and goes on recording (the live view is captured again later). */
  async flush(): Promise<void> {
    while (this.bodyTasks.size > 0) await Promise.allSettled([...this.bodyTasks]);
  }

  /**
   * The address the top frame's document request went to last: after redirects, the one a failed
   * navigation failed at (a redirect's Location when the browser refused to follow it).
   */
  lastDocumentUrl(frameId: string): string | undefined {
    const last = this.hops.findLast((hop) => hop.resourceType === 'Document' && hop.frameId === frameId);
    if (!last) return undefined;
    const location =
      last.state === 'redirected'
        ? headerValue(splitCdpHeaders(last.response?.headers ?? {}), 'location')
        : undefined;
    try {
      return location ? new URL(location, last.url).href : last.url;
    } catch {
      return last.url;
    }
  }

  /**
   * Every exchange in the order its request started, with the best headers and body found. It can
   * be asked again: nothing is used up (the live view is captured as often as the investigator asks).
   */
  async exchanges(): Promise<Exchange[]> {
    const taken = new Map<string, number>();
    const takeFetched = (key: string) => {
      const index = taken.get(key) ?? 0;
      taken.set(key, index + 1);
      return this.fetchedBodies.get(key)?.[index];
    };
    const hopsById = new Map<string, MutableHop[]>();
    for (const hop of this.hops) {
      const list = hopsById.get(hop.requestId) ?? [];
      list.push(hop);
      hopsById.set(hop.requestId, list);
    }
    const result: Exchange[] = [];
    for (const hop of this.hops) {
      if (this.answeredByBrowser(hop)) continue;
      const extra = this.extra.get(hop.requestId);
      const requestExtra = extra?.requests[hop.hop];
      const responseExtra = extra?.responses[hop.hop];
      let { body, bodyProblem } = hop;
      const fetched = takeFetched(`${hop.requestId}\n${hop.url}`);
      if (fetched) {
        const value = await fetched;
        if (typeof value === 'string') bodyProblem ??= value;
        else body = value;
      }
      result.push({
        requestId: hop.requestId,
        hop: hop.hop,
        url: hop.url,
        method: hop.method,
        resourceType: hop.resourceType,
        frameId: hop.frameId,
        loaderId: hop.loaderId,
        startedAt: hop.startedAt,
        requestHeaders: requestExtra ? splitCdpHeaders(requestExtra) : hop.rendererHeaders,
        requestHeadersFrom: requestExtra ? 'extra-info' : 'renderer',
        postData: hop.postData,
        response: hop.response
          ? recordedResponse(hop.response, hop.responseAt ?? hop.startedAt, responseExtra)
          : this.paused.get(`${hop.requestId}\n${hop.url}`)?.response,
        body,
        bodyProblem,
        state:
          hop.state === 'pending' && this.bodiesArrived.has(`${hop.requestId}\n${hop.url}`)
            ? 'finished'
            : hop.state,
        errorText: hop.errorText,
        finishedAt: hop.finishedAt,
      });
    }
    result.push(...(await this.exchangesSeenOnlyPaused(takeFetched)));
    return result.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  }

  /**
   * The addresses whose request the browser answered itself, in the order asked: no server sent
   * that answer, so `exchanges` leaves them out (a WARC holds only what the network answered).
   */
  browserAnswered(): string[] {
    return this.hops.filter((hop) => this.answeredByBrowser(hop)).map((hop) => hop.url);
  }

  /** Made by the browser and never paused by the Fetch domain, which sees every answer from the network. */
  private answeredByBrowser(hop: MutableHop): boolean {
    const key = `${hop.requestId}\n${hop.url}`;
    return hop.madeByBrowser && !this.paused.has(key) && !this.fetchedBodies.has(key);
  }

  /**
   * Requests whose target's Network domain the recorder never saw (a worker let go by another
   * client before the recorder was on), known from their pause in the Fetch domain alone: request,
   * status, headers and body, but no server address.
   */
  private async exchangesSeenOnlyPaused(
    takeFetched: (key: string) => Promise<(SpooledBody & { source: BodySource }) | string> | undefined,
  ): Promise<Exchange[]> {
    const seen = new Set(this.hops.map((hop) => `${hop.requestId}\n${hop.url}`));
    const result: Exchange[] = [];
    for (const [key, { event, response }] of this.paused) {
      if (seen.has(key)) continue;
      const fetched = await takeFetched(key);
      const body = typeof fetched === 'object' ? fetched : undefined;
      result.push({
        requestId: key.split('\n')[0]!,
        hop: 0,
        url: event.request.url,
        method: event.request.method,
        resourceType: event.resourceType,
        frameId: event.frameId,
        loaderId: '',
        startedAt: response.receivedAt,
        requestHeaders: splitCdpHeaders(event.request.headers),
        requestHeadersFrom: 'renderer',
        postData: postDataOf(event.request),
        response,
        body,
        bodyProblem: typeof fetched === 'string' ? fetched : undefined,
        state: body ? 'finished' : 'pending',
        errorText: undefined,
        finishedAt: body ? response.receivedAt : undefined,
      });
    }
    return result;
  }

  private extraFor(requestId: string): ExtraInfo {
    let info = this.extra.get(requestId);
    if (!info) {
      info = { requests: [], responses: [] };
      this.extra.set(requestId, info);
    }
    return info;
  }

  private onRequest(e: Protocol.Network.RequestWillBeSentEvent): void {
    const previous = this.current.get(e.requestId);
    if (previous && e.redirectResponse) {
      previous.response = e.redirectResponse;
      previous.responseAt = new Date().toISOString();
      previous.state = 'redirected';
      previous.finishedAt = previous.responseAt;
    }
    if (!this.recording || !/^https?:/i.test(e.request.url)) {
      this.current.delete(e.requestId);
      return;
    }
    this.lastActivity = Date.now();
    const hop: MutableHop = {
      requestId: e.requestId,
      hop: previous && e.redirectResponse ? previous.hop + 1 : 0,
      // Without the fragment: it is never sent, and the Fetch domain names requests without it.
      url: e.request.url,
      method: e.request.method,
      resourceType: e.type ?? 'Other',
      frameId: e.frameId,
      loaderId: e.loaderId,
      startedAt: new Date(e.wallTime * 1000).toISOString(),
      rendererHeaders: splitCdpHeaders(e.request.headers),
      postData: postDataOf(e.request),
      response: undefined,
      responseAt: undefined,
      state: 'pending',
      errorText: undefined,
      finishedAt: undefined,
      body: undefined,
      bodyProblem: undefined,
      madeByBrowser: false,
    };
    this.hops.push(hop);
    this.current.set(e.requestId, hop);
  }

  private onResponse(e: Protocol.Network.ResponseReceivedEvent): void {
    const hop = this.current.get(e.requestId);
    if (!hop) return;
    hop.response = e.response;
    hop.responseAt = new Date().toISOString();
    hop.madeByBrowser = madeByBrowser(e);
    this.lastActivity = Date.now();
  }

  private onFinished(session: CdpSession, e: Protocol.Network.LoadingFinishedEvent): void {
    const hop = this.current.get(e.requestId);
    if (hop?.state !== 'pending') return;
    hop.state = 'finished';
    hop.finishedAt = new Date().toISOString();
    this.lastActivity = Date.now();
    // The body normally came through the Fetch domain; where it did not (a target without one),
    // take what the renderer kept.
    if (!hop.response || hop.madeByBrowser || this.fetchedBodies.has(`${hop.requestId}\n${hop.url}`)) return;
    this.track(
      session.send('Network.getResponseBody', { requestId: e.requestId }).then(
        async ({ body, base64Encoded }) => {
          const bytes = base64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
          hop.body = { ...(await this.spool.append(bytes)), source: base64Encoded ? 'raw' : 'decoded-text' };
        },
        (error: Error) => {
          hop.bodyProblem = `the body could not be read: ${error.message}`;
        },
      ),
    );
  }

  private onFailed(e: Protocol.Network.LoadingFailedEvent): void {
    const hop = this.current.get(e.requestId);
    if (hop?.state !== 'pending') return;
    hop.state = 'failed';
    hop.errorText = [e.errorText, e.blockedReason && `blocked: ${e.blockedReason}`, e.canceled && 'canceled']
      .filter(Boolean)
      .join('; ');
    hop.finishedAt = new Date().toISOString();
    this.lastActivity = Date.now();
  }

  /**
   * A frame committed a new document: requests of its old document that are still open will never
   * report their end (the browser drops them silently), so they are closed here.
   */
  private onDocumentReplaced(frameId: string, loaderId: string): void {
    for (const hop of this.current.values()) {
      if (hop.state === 'pending' && hop.frameId === frameId && hop.loaderId !== loaderId) {
        hop.state = 'failed';
        hop.errorText = 'abandoned: the frame moved on to another document';
        hop.finishedAt = new Date().toISOString();
      }
    }
  }

  private track(task: Promise<unknown>): void {
    const settled = task.catch(() => undefined);
    this.bodyTasks.add(settled);
    void settled.then(() => this.bodyTasks.delete(settled));
  }
}

/**
 * Whether DevTools reports a response the browser made itself, at a web address: Chromium's PDF
 * viewer shows a PDF in a frame of its own at the PDF's address, and that frame's document (~17 KB
 * of the viewer's HTML, status 200, no headers) is reported as the answer to a request for the PDF,
 * though no server sent it. Such a response has neither the network stack's own headers nor a
 * server address, and it was not served by the page's service worker; with the cache off, every
 * answer that came over the network has both.
 */
function madeByBrowser(e: Protocol.Network.ResponseReceivedEvent): boolean {
  return !e.hasExtraInfo && !e.response.remoteIPAddress && !e.response.fromServiceWorker;
}

function postDataOf(request: Protocol.Network.Request): Buffer | undefined {
  if (request.postDataEntries?.length) {
    return Buffer.concat(request.postDataEntries.map((entry) => Buffer.from(entry.bytes ?? '', 'base64')));
  }
  return request.postData === undefined ? undefined : Buffer.from(request.postData, 'utf8');
}

function recordedResponse(
  response: Protocol.Network.Response,
  receivedAt: string,
  extra: Protocol.Network.ResponseReceivedExtraInfoEvent | undefined,
): RecordedResponse {
  const common = {
    status: response.status,
    protocol: response.protocol,
    mimeType: response.mimeType,
    remoteIPAddress: response.remoteIPAddress,
    remotePort: response.remotePort,
    securityDetails: response.securityDetails,
    receivedAt,
  };
  const matching = extra && extra.statusCode === response.status ? extra : undefined;
  const raw = matching?.headersText ? parseRawHead(matching.headersText) : null;
  if (raw) return { ...common, statusLine: raw.statusLine, headers: raw.headers, headersFrom: 'wire' };
  return {
    ...common,
    statusLine: statusLineFor(response.status, response.statusText),
    headers: splitCdpHeaders(matching?.headers ?? response.headers),
    headersFrom: matching ? 'extra-info' : 'renderer',
  };
}
