import type { ProtocolMapping } from 'devtools-protocol/types/protocol-mapping.js';

/** A DevTools command name, such as `Page.navigate`. */
export type CdpCommand = keyof ProtocolMapping.Commands;
/** The parameters of a command, as a tuple (empty when it takes none). */
export type CdpParams<M extends CdpCommand> = ProtocolMapping.Commands[M]['paramsType'];
/** What a command returns. */
export type CdpResult<M extends CdpCommand> = ProtocolMapping.Commands[M]['returnType'];
/** A DevTools event name, such as `Network.responseReceived`. */
export type CdpEvent = keyof ProtocolMapping.Events;
/** The payload of an event. */
export type CdpEventPayload<E extends CdpEvent> = ProtocolMapping.Events[E] extends [infer P] ? P : undefined;

/**
 * One DevTools Protocol session with one target (a page, an iframe in its own process, a worker).
 * The capture engine talks only to this interface, so it runs unchanged over playwright-core's
 * CDPSession (system Chromium, for the CLI and the tests) and over Electron's `webContents.debugger`.
 */
export interface CdpSession {
  /** Sends a command and resolves with its result; rejects when the target answers with an error. */
  send<M extends CdpCommand>(method: M, ...params: CdpParams<M>): Promise<CdpResult<M>>;
  /** Subscribes to an event; returns the function that unsubscribes. */
  on<E extends CdpEvent>(event: E, handler: (payload: CdpEventPayload<E>) => void): () => void;
}

/** A message as it travels in the DevTools wire format. */
interface WireMessage {
  readonly id?: number;
  readonly method?: string;
  readonly params?: unknown;
  readonly result?: unknown;
  readonly error?: { readonly message: string; readonly code?: number };
}

/** Subscribers by event name, shared by the session implementations. */
export class CdpEventHub {
  private readonly handlers = new Map<string, Set<(payload: never) => void>>();

  /** Adds a handler; returns the function that removes it. */
  on<E extends CdpEvent>(event: E, handler: (payload: CdpEventPayload<E>) => void): () => void {
    let set = this.handlers.get(event);
    if (!set) {
      set = new Set();
      this.handlers.set(event, set);
    }
    const stored = handler as (payload: never) => void;
    set.add(stored);
    return () => set.delete(stored);
  }

  /** Calls the handlers of an event; a failing handler never stops the others. */
  emit(event: string, payload: unknown): void {
    for (const handler of this.handlers.get(event) ?? []) {
      try {
        handler(payload as never);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}

/**
 * A session with a child target reached through its parent in non-flat mode
 * (`Target.sendMessageToTarget` / `Target.receivedMessageFromTarget`). Non-flat mode works over any
 * parent session, whatever carries it, which is why the engine uses it for iframes and workers.
 */
export class NestedCdpSession implements CdpSession {
  private readonly events = new CdpEventHub();
  private readonly pending = new Map<
    number,
    { resolve: (value: never) => void; reject: (error: Error) => void }
  >();
  private nextId = 1;
  private closed: Error | null = null;
  private readonly unsubscribe: (() => void)[];

  constructor(
    private readonly parent: CdpSession,
    readonly sessionId: string,
  ) {
    this.unsubscribe = [
      parent.on('Target.receivedMessageFromTarget', (event) => {
        if (event.sessionId === this.sessionId) this.receive(JSON.parse(event.message) as WireMessage);
      }),
      parent.on('Target.detachedFromTarget', (event) => {
        if (event.sessionId === this.sessionId) this.close(new Error('the target detached'));
      }),
    ];
  }

  send<M extends CdpCommand>(method: M, ...params: CdpParams<M>): Promise<CdpResult<M>> {
    if (this.closed) return Promise.reject(this.closed);
    const id = this.nextId++;
    const message = JSON.stringify({ id, method, params: params[0] ?? {} });
    return new Promise<CdpResult<M>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: never) => void, reject });
      this.parent
        .send('Target.sendMessageToTarget', { sessionId: this.sessionId, message })
        .catch((error: Error) => {
          this.pending.delete(id);
          reject(error);
        });
    });
  }

  on<E extends CdpEvent>(event: E, handler: (payload: CdpEventPayload<E>) => void): () => void {
    return this.events.on(event, handler);
  }

  /** Stops listening and fails the commands still waiting for an answer. */
  close(reason: Error = new Error('the session was closed')): void {
    if (this.closed) return;
    this.closed = reason;
    for (const off of this.unsubscribe) off();
    for (const { reject } of this.pending.values()) reject(reason);
    this.pending.clear();
  }

  private receive(message: WireMessage): void {
    if (message.id !== undefined) {
      const waiting = this.pending.get(message.id);
      if (!waiting) return;
      this.pending.delete(message.id);
      if (message.error)
        waiting.reject(new Error(`${message.error.message} (${message.error.code ?? 'no code'})`));
      else waiting.resolve(message.result as never);
    } else if (message.method) {
      this.events.emit(message.method, message.params);
    }
  }
}
