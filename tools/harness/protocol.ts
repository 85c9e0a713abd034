/**
 * The loopback transport's wire format, shared by the harness server and its page client.
 * A call is `POST /api/<method>` with the JSON input; the answer is an event stream of
 * `progress` events and one `result` event. A cancel is its own request naming the call, so the
 * call still answers with what it finished (a batch lists the items made before the cancel);
 * closing the request (a tab going away) cancels it too.
 */

/** Header that carries the harness's random token on every API and upload request. */
export const TOKEN_HEADER = 'x-custos-token';

/** Path prefix of API calls. */
export const API_PREFIX = '/api/';

/** Path of cancels: `POST /cancel` with the call's id; the call then answers with what it did. */
export const CANCEL_PATH = '/cancel';

/** Header naming a call, so that a cancel can reach it. */
export const CALL_HEADER = 'x-custos-call';

/** Path of file uploads (the harness stands in for the file paths Electron gives a dropped file). */
export const UPLOAD_PATH = '/upload';

/** The page script the harness adds before the app's own. */
export const BINDING_SCRIPT = 'harness-binding.js';

/** One event of a call's answer. */
export interface StreamEvent {
  readonly event: string;
  readonly data: unknown;
}

/** Encodes one server-sent event (data is one JSON line, so no line splitting is needed). */
export function encodeEvent(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** Splits a growing event-stream text into complete events and the unfinished rest. */
export function decodeEvents(buffer: string): { events: StreamEvent[]; rest: string } {
  const events: StreamEvent[] = [];
  let rest = buffer;
  for (let end = rest.indexOf('\n\n'); end !== -1; end = rest.indexOf('\n\n')) {
    const block = rest.slice(0, end);
    rest = rest.slice(end + 2);
    let event = 'message';
    let data = '';
    for (const line of block.split('\n')) {
      if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data += line.slice(6);
    }
    events.push({ event, data: data === '' ? null : JSON.parse(data) });
  }
  return { events, rest };
}
