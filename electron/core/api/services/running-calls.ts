/**
 * The calls a transport is running, by a key it chooses (the IPC layer: the sender and the call
 * id; the browser harness: the call id), so that a cancel reaches its own call and nothing else.
 * One table for every transport, so that they cancel alike.
 */

/** A call in the table: its signal goes to the service; `end` takes it out when it has answered. */
export interface RunningCall {
  readonly signal: AbortSignal;
  abort(): void;
  end(): void;
}

// Cancels that arrived before their call are remembered (the harness sends a cancel as its own
// request, which can overtake the call); only this many, so that cancels of calls that had
// already answered cannot grow the table without bound.
const EARLY_CANCELS_KEPT = 64;

export class RunningCalls {
  private readonly calls = new Map<string, AbortController>();
  private readonly early = new Set<string>();

  /**
   * Starts the call `key`. A call whose cancel came first starts cancelled; a call under the key
   * of one still running cancels the older one (a caller never has two calls under one id).
   */
  start(key: string): RunningCall {
    const controller = new AbortController();
    this.calls.get(key)?.abort();
    this.calls.set(key, controller);
    if (this.early.delete(key)) controller.abort();
    return {
      signal: controller.signal,
      abort: () => controller.abort(),
      end: () => {
        if (this.calls.get(key) === controller) this.calls.delete(key);
      },
    };
  }

  /** Cancels the call `key`; a cancel for a call not yet started cancels it when it starts. */
  cancel(key: string): void {
    const running = this.calls.get(key);
    if (running) {
      running.abort();
      return;
    }
    this.early.add(key);
    if (this.early.size > EARLY_CANCELS_KEPT) this.early.delete(this.early.values().next().value as string);
  }

  /** Cancels every running call (the transport is closing). */
  cancelAll(): void {
    for (const controller of this.calls.values()) controller.abort();
    this.calls.clear();
    this.early.clear();
  }

  /** How many calls are running. */
  get size(): number {
    return this.calls.size;
  }
}
