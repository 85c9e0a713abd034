/**
 * The loopback client: the same `CustosApi` the renderer gets in the app, carried over fetch to
 * the harness server on 127.0.0.1. Progress arrives as events of the call's own response; a
 * cancel aborts the request, which the server turns into the service's AbortSignal.
 */
import {
  API_METHODS,
  type ApiCall,
  type ApiMethod,
  type ApiOutputs,
  type ApiProgress,
  type ApiResult,
  type CallOptions,
  type CustosApi,
  cancelledResult,
  methodTable,
} from '../../shared/api.js';
import { API_PREFIX, CALL_HEADER, CANCEL_PATH, decodeEvents, TOKEN_HEADER, UPLOAD_PATH } from './protocol.js';

/** Where the harness listens and the token that lets this client in. */
export interface LoopbackEndpoint {
  readonly baseUrl: string;
  readonly token: string;
}

/** The API plus the upload that stands in for a dropped file's path. */
export interface LoopbackClient {
  readonly api: CustosApi;
  /** Sends a file's bytes to the harness; returns the path the harness saved it under. */
  upload(name: string, body: Blob | Uint8Array, lastModified?: number): Promise<string>;
}

let nextCall = 0;

/** Makes a client for the harness at `endpoint`. */
export function createLoopbackClient(endpoint: LoopbackEndpoint): LoopbackClient {
  const method =
    <M extends ApiMethod>(name: M): ApiCall<M> =>
    (input, options) =>
      call(endpoint, name, input, options);
  const api = methodTable<ApiMethod, CustosApi>(API_METHODS, method);
  return {
    api,
    async upload(name, body, lastModified) {
      const query = new URLSearchParams({ name });
      if (lastModified !== undefined) query.set('lastModified', String(lastModified));
      const response = await fetch(`${endpoint.baseUrl}${UPLOAD_PATH}?${query}`, {
        method: 'POST',
        headers: { [TOKEN_HEADER]: endpoint.token, 'content-type': 'application/octet-stream' },
        body: body as Blob,
      });
      const answer = (await response.json()) as { path?: string; error?: string };
      if (!response.ok || answer.path === undefined)
        throw new Error(answer.error ?? `upload failed (${response.status})`);
      return answer.path;
    },
  };
}

async function call<M extends ApiMethod>(
  endpoint: LoopbackEndpoint,
  method: M,
  input: unknown,
  options: CallOptions = {},
): Promise<ApiResult<ApiOutputs[M]>> {
  if (options.signal?.aborted) return cancelledResult();
  const callId = `${Date.now().toString(36)}-${(nextCall++).toString(36)}`;
  // A cancel is a message to the harness: the call goes on to answer with what it finished.
  const abort = () => {
    void fetch(`${endpoint.baseUrl}${CANCEL_PATH}?call=${callId}`, {
      method: 'POST',
      headers: { [TOKEN_HEADER]: endpoint.token },
    }).catch(() => undefined);
  };
  options.signal?.addEventListener('abort', abort);
  try {
    const response = await fetch(`${endpoint.baseUrl}${API_PREFIX}${method}`, {
      method: 'POST',
      headers: { [TOKEN_HEADER]: endpoint.token, [CALL_HEADER]: callId, 'content-type': 'application/json' },
      body: JSON.stringify(input ?? {}),
    });
    if (!response.ok || !response.body) {
      return {
        ok: false,
        error: { kind: 'failure', message: `the harness refused the call (${response.status})` },
      };
    }
    // The harness answers with the service's result for this method.
    return (await readAnswer(response.body, options.onProgress)) as ApiResult<ApiOutputs[M]>;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: { kind: 'failure', message: `the harness could not be reached: ${message}` } };
  } finally {
    options.signal?.removeEventListener('abort', abort);
  }
}

async function readAnswer(
  body: ReadableStream<Uint8Array>,
  onProgress: ((progress: ApiProgress) => void) | undefined,
): Promise<ApiResult<unknown>> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (value) buffer += decoder.decode(value, { stream: true });
    const { events, rest } = decodeEvents(buffer);
    buffer = rest;
    for (const event of events) {
      if (event.event === 'progress') onProgress?.(event.data as ApiProgress);
      else if (event.event === 'result') {
        await reader.cancel().catch(() => undefined);
        return event.data as ApiResult<unknown>;
      }
    }
    if (done)
      return {
        ok: false,
        error: { kind: 'failure', message: 'the harness closed the call without an answer' },
      };
  }
}
