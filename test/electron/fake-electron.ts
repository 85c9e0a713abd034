/**
 * THE FAKE: a small stand-in for the few Electron main-process objects the IPC layer touches
 * (`ipcMain`, a window's `webContents`, its frames), so the IPC layer runs on plain Node. It
 * follows Electron's documented behaviour where the tests depend on it: invoking a channel with
 * no handler rejects, `handle` twice on one channel throws, a destroyed web contents emits
 * `destroyed`. Nothing else of Electron is imitated.
 */
import { EventEmitter } from 'node:events';

/** A frame as `event.senderFrame` shows it. */
export interface FakeFrame {
  readonly url: string;
  readonly parent: FakeFrame | null;
}

let nextContentsId = 1;

/** A web contents: an id, `send` (recorded), and the `destroyed` event. */
export class FakeWebContents extends EventEmitter {
  readonly id = nextContentsId++;
  readonly sent: { channel: string; args: unknown[] }[] = [];
  private destroyed = false;

  constructor(readonly mainFrame: FakeFrame) {
    super();
  }

  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  destroy(): void {
    this.destroyed = true;
    this.emit('destroyed');
  }
}

type InvokeHandler = (event: never, ...args: never[]) => unknown;
type Listener = (event: never, ...args: never[]) => void;

/** `ipcMain`: `handle`/`removeHandler` for invoke channels, `on`/`removeListener` for messages. */
export class FakeIpcMain {
  private readonly handlers = new Map<string, InvokeHandler>();
  private readonly listeners = new EventEmitter();

  handle(channel: string, handler: InvokeHandler): void {
    if (this.handlers.has(channel))
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }

  on(channel: string, listener: Listener): this {
    this.listeners.on(channel, listener as (...args: unknown[]) => void);
    return this;
  }

  removeListener(channel: string, listener: Listener): this {
    this.listeners.removeListener(channel, listener as (...args: unknown[]) => void);
    return this;
  }

  /** The channels with an invoke handler. */
  channels(): string[] {
    return [...this.handlers.keys()];
  }

  /** What `ipcRenderer.invoke` from `frame` of `sender` does. */
  async invoke(
    sender: FakeWebContents,
    frame: FakeFrame,
    channel: string,
    ...args: unknown[]
  ): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler(eventFrom(sender, frame) as never, ...(args as never[]));
  }

  /** What `ipcRenderer.send` from `frame` of `sender` does. */
  send(sender: FakeWebContents, frame: FakeFrame, channel: string, ...args: unknown[]): void {
    this.listeners.emit(channel, eventFrom(sender, frame), ...args);
  }
}

function eventFrom(sender: FakeWebContents, frame: FakeFrame) {
  return { sender, senderFrame: frame };
}

/** A top frame showing `url`. */
export function topFrame(url: string): FakeFrame {
  return { url, parent: null };
}

/** An iframe showing `url` inside `parent`. */
export function childFrame(parent: FakeFrame, url: string): FakeFrame {
  return { url, parent };
}
