/**
 * THE FAKE: a small stand-in for the Electron objects the shell touches, because the Electron
 * binary cannot run on the development machines. The IPC tests use `ipcMain`, a window's
 * `webContents` and its frames; the boot test (test/electron/boot.test.ts) also installs
 * `FakeElectron` as the `electron` module under the built main bundle and the preload. It follows
 * Electron's documented behaviour where the tests depend on it: invoking a channel with no
 * handler rejects, `handle` twice on one channel throws, a destroyed web contents emits
 * `destroyed`, `whenReady` resolves once the app is ready, `ipcRenderer.invoke` reaches
 * `ipcMain`'s handler with the window's web contents and top frame as sender. The rest only
 * records what the shell asked for, for the test to read back; nothing else is imitated.
 */
import { EventEmitter } from 'node:events';

/** A frame as `event.senderFrame` shows it. */
export interface FakeFrame {
  readonly url: string;
  readonly parent: FakeFrame | null;
}

let nextContentsId = 1;

/** A web contents: an id, `send` (recorded, and passed to its page's `ipcRenderer`), and the `destroyed` event. */
export class FakeWebContents extends EventEmitter {
  readonly id = nextContentsId++;
  readonly sent: { channel: string; args: unknown[] }[] = [];
  /** What the page's `ipcRenderer.on` hears: the messages `send` sends. */
  readonly toPage = new EventEmitter();
  private destroyed = false;

  constructor(public mainFrame: FakeFrame) {
    super();
  }

  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
    this.toPage.emit(channel, { sender: null }, ...args);
  }

  /** What the security guards install; recorded only. */
  setWindowOpenHandler(handler: unknown): void {
    this.windowOpenHandler = handler;
  }
  windowOpenHandler: unknown = null;

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

/** `BrowserWindow`: records its options and the address it loads; its page is a top frame at that address. */
export class FakeBrowserWindow extends EventEmitter {
  private static readonly open: FakeBrowserWindow[] = [];
  /** Called with every window made, so a test can wait for one. */
  static onCreated: (window: FakeBrowserWindow) => void = () => undefined;
  readonly webContents = new FakeWebContents(topFrame('about:blank'));
  readonly contentView = { children: [] as unknown[], addChildView: (view: unknown) => void view };
  loadedUrl: string | null = null;
  private destroyed = false;

  constructor(readonly options: Readonly<Record<string, unknown>>) {
    super();
    FakeBrowserWindow.open.push(this);
    FakeBrowserWindow.onCreated(this);
  }

  static getAllWindows(): FakeBrowserWindow[] {
    return [...FakeBrowserWindow.open];
  }

  async loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    this.webContents.mainFrame = topFrame(url);
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  isMinimized(): boolean {
    return false;
  }

  restore(): void {}
  focus(): void {}
  show(): void {}

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    FakeBrowserWindow.open.splice(FakeBrowserWindow.open.indexOf(this), 1);
    this.webContents.destroy();
    this.emit('closed');
  }
}

/** A protocol handler as `session.protocol.handle` takes it. */
export type FakeProtocolHandler = (request: Request) => Promise<Response> | Response;

/** A `webRequest.onBeforeRequest` listener (the form without a filter). */
export type FakeBeforeRequest = (
  details: { readonly url: string },
  callback: (response: { readonly cancel?: boolean }) => void,
) => void;

/** A session: its protocol handlers, and the permission handlers the guards set (recorded). */
export class FakeSession extends EventEmitter {
  readonly handlers = new Map<string, FakeProtocolHandler>();
  readonly protocol = {
    handle: (scheme: string, handler: FakeProtocolHandler) => {
      this.handlers.set(scheme, handler);
    },
  };
  permissionRequestHandler: unknown = null;
  permissionCheckHandler: unknown = null;
  devicePermissionHandler: unknown = null;
  /** What `clearStorageData` was asked to clear, in order. */
  readonly cleared: unknown[] = [];
  /** The listener `webRequest.onBeforeRequest` was given (null: none). */
  beforeRequest: FakeBeforeRequest | null = null;
  readonly webRequest = {
    onBeforeRequest: (listener: FakeBeforeRequest | null) => {
      this.beforeRequest = listener;
    },
  };

  clearStorageData(options?: unknown): Promise<void> {
    this.cleared.push(options);
    return Promise.resolve();
  }

  setPermissionRequestHandler(handler: unknown): void {
    this.permissionRequestHandler = handler;
  }

  setPermissionCheckHandler(handler: unknown): void {
    this.permissionCheckHandler = handler;
  }

  setDevicePermissionHandler(handler: unknown): void {
    this.devicePermissionHandler = handler;
  }
}

/** `app`: ready when the test says so; paths in the folder the test gives; quit and exit recorded. */
export class FakeApp extends EventEmitter {
  readonly isPackaged = false;
  name = 'Electron';
  quitCalled = false;
  exitCode: number | null = null;
  private readonly paths = new Map<string, string>();
  private markReady: () => void = () => undefined;
  private readonly ready = new Promise<void>((resolve) => {
    this.markReady = resolve;
  });

  constructor(home: string) {
    super();
    for (const name of ['appData', 'documents', 'home', 'temp']) this.paths.set(name, `${home}/${name}`);
  }

  /** What Electron does once it has started: `whenReady` resolves. */
  becomeReady(): void {
    this.markReady();
  }

  whenReady(): Promise<void> {
    return this.ready;
  }

  requestSingleInstanceLock(): boolean {
    return true;
  }

  setName(name: string): void {
    this.name = name;
  }

  getPath(name: string): string {
    const found = this.paths.get(name);
    if (!found) throw new Error(`Failed to get '${name}' path`);
    return found;
  }

  setPath(name: string, value: string): void {
    this.paths.set(name, value);
  }

  quit(): void {
    this.quitCalled = true;
  }

  exit(code = 0): void {
    this.exitCode = code;
  }
}

/** The page side of one window: `ipcRenderer`, `contextBridge` and `webUtils`, as its preload sees them. */
export class FakeRenderer {
  /** What the preload exposed with `contextBridge.exposeInMainWorld`, and what the page built. */
  readonly page: Record<string, unknown> = {};

  constructor(
    private readonly ipcMain: FakeIpcMain,
    private readonly contents: FakeWebContents,
  ) {}

  /** The `electron` module as a preload requires it. */
  module() {
    const { ipcMain, contents, page } = this;
    return {
      ipcRenderer: {
        invoke: (channel: string, ...args: unknown[]) =>
          ipcMain.invoke(contents, contents.mainFrame, channel, ...args),
        send: (channel: string, ...args: unknown[]) =>
          ipcMain.send(contents, contents.mainFrame, channel, ...args),
        on: (channel: string, listener: (...args: unknown[]) => void) =>
          contents.toPage.on(channel, listener),
        removeListener: (channel: string, listener: (...args: unknown[]) => void) =>
          contents.toPage.removeListener(channel, listener),
      },
      contextBridge: {
        exposeInMainWorld: (key: string, value: unknown) => {
          page[key] = value;
        },
        // Electron sends the function to the page as source text, with its arguments cloned:
        // so does this, in the page's own context, so a function that reaches outside itself fails.
        executeInMainWorld: ({ func, args }: { func: (...args: never[]) => unknown; args?: unknown[] }) =>
          runInPage(page, `(${func.toString()})(...__args)`, structuredClone(args ?? [])),
      },
      webUtils: { getPathForFile: (file: { path?: string }) => file.path ?? '' },
    };
  }
}

let runInPage: (page: Record<string, unknown>, source: string, args: unknown[]) => unknown = () => {
  throw new Error('no page runner installed');
};

/** How `executeInMainWorld` runs source in a page (the boot test gives it a vm context). */
export function setPageRunner(runner: typeof runInPage): void {
  runInPage = runner;
}

/** The whole stand-in: one instance of each main-process object, as the `electron` module exports them. */
export class FakeElectron {
  readonly app: FakeApp;
  readonly ipcMain = new FakeIpcMain();
  readonly defaultSession = new FakeSession();
  readonly partitions = new Map<string, FakeSession>();
  readonly privilegedSchemes: unknown[] = [];
  readonly errorBoxes: { title: string; content: string }[] = [];
  applicationMenu: unknown = null;

  constructor(home: string) {
    this.app = new FakeApp(home);
  }

  /** The `electron` module as the main process imports it. */
  module() {
    return {
      app: this.app,
      BrowserWindow: FakeBrowserWindow,
      ipcMain: this.ipcMain,
      Menu: {
        buildFromTemplate: (template: unknown[]) => ({ template }),
        setApplicationMenu: (menu: unknown) => {
          this.applicationMenu = menu;
        },
      },
      session: {
        defaultSession: this.defaultSession,
        fromPartition: (name: string) => {
          const found = this.partitions.get(name) ?? new FakeSession();
          this.partitions.set(name, found);
          return found;
        },
      },
      protocol: {
        registerSchemesAsPrivileged: (schemes: unknown[]) => {
          this.privilegedSchemes.push(...schemes);
        },
      },
      dialog: {
        showErrorBox: (title: string, content: string) => {
          this.errorBoxes.push({ title, content });
        },
      },
      // No keychain: the app then keeps the key as the CLI does and says why it cannot protect it.
      safeStorage: {
        isEncryptionAvailable: () => false,
        getSelectedStorageBackend: () => 'basic_text',
        encryptString: () => {
          throw new Error('Encryption is not available.');
        },
        decryptString: () => {
          throw new Error('Decryption is not available.');
        },
      },
      WebContentsView: class FakeWebContentsView {
        readonly webContents = new FakeWebContents(topFrame('about:blank'));
      },
    };
  }
}
