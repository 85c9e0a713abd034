/**
 * What only the desktop shell can do besides the API: the live capture browser, a view of Electron's
 * own Chromium placed over the capture screen, and the system's save dialog. Declared once here: the preload exposes exactly these
 * methods as `window.custosShell.live`, and the main process parses each input with its schema and
 * answers the app window only. Captures of the live view go through the API (`captureLive`), so
 * they are stored, hashed and sealed like every other capture.
 */
import { z } from 'zod';
import type { ApiResult } from './api.js';
import type { CaptureShortcut } from './shortcuts.js';

/** Where the live view sits in the window: the placeholder element's box, in CSS pixels of the window. */
export const viewBoundsSchema = z.object({
  x: z.number().finite().min(0).max(100_000),
  y: z.number().finite().min(0).max(100_000),
  width: z.number().finite().min(0).max(100_000),
  height: z.number().finite().min(0).max(100_000),
});
export type ViewBounds = z.infer<typeof viewBoundsSchema>;

/** Input schema of every shell method. */
export const shellInputSchemas = {
  /** Shows the live view in `bounds`, in the persona's partition (`persist:persona-<name>`), or a fresh one. */
  liveOpen: z.object({ persona: z.string().trim().min(1).max(64).nullish(), bounds: viewBoundsSchema }),
  /** Removes the live view and lets its page go (a persona's log-in stays in its partition). */
  liveClose: z.object({}),
  /** Moves the view to the placeholder's new box (the window or the layout changed). */
  liveBounds: z.object({ bounds: viewBoundsSchema }),
  /** Loads an http(s) address in the view; any other is refused. */
  liveNavigate: z.object({
    url: z
      .string({ error: 'enter an address' })
      .trim()
      .min(1, 'enter an address')
      .max(8192, 'the address is too long'),
  }),
  liveBack: z.object({}),
  liveForward: z.object({}),
  liveReload: z.object({}),
  /**
   * Hides the view and returns a still picture of it, for the region overlay (the app window
   * cannot draw over a native view); `liveUnfreeze` shows it again.
   */
  liveFreeze: z.object({}),
  liveUnfreeze: z.object({}),
  liveState: z.object({}),
  /**
   * The system's save dialog, for where a bundle goes: it starts at `defaultPath` and answers the
   * chosen path, or null when the investigator cancelled. The renderer never reaches the file system itself.
   */
  chooseSavePath: z.object({
    defaultPath: z.string().trim().max(4096, 'the path is too long'),
    /** File name endings offered (without the dot), e.g. ["zip"]. */
    extensions: z
      .array(z.string().regex(/^[a-z0-9]{1,10}$/i, 'an extension is letters and digits'))
      .max(10)
      .default([]),
  }),
} as const;

/** The live view as the capture screen shows it. */
export interface LiveViewState {
  readonly open: boolean;
  readonly persona: string | null;
  readonly url: string;
  readonly title: string;
  readonly loading: boolean;
  readonly canGoBack: boolean;
  readonly canGoForward: boolean;
}

/** A still picture of the view, in CSS pixels of the view. */
export interface LiveFrame {
  readonly dataUri: string;
  readonly width: number;
  readonly height: number;
}

/** Output type of every shell method. */
export interface ShellOutputs {
  liveOpen: LiveViewState;
  liveClose: LiveViewState;
  liveBounds: LiveViewState;
  liveNavigate: LiveViewState;
  liveBack: LiveViewState;
  liveForward: LiveViewState;
  liveReload: LiveViewState;
  liveFreeze: LiveFrame;
  liveUnfreeze: LiveViewState;
  liveState: LiveViewState;
  chooseSavePath: string | null;
}

export type ShellMethod = keyof typeof shellInputSchemas & keyof ShellOutputs;
export type ShellInput<M extends ShellMethod> = z.input<(typeof shellInputSchemas)[M]>;
export type ShellParsedInput<M extends ShellMethod> = z.output<(typeof shellInputSchemas)[M]>;

/** One shell method, answering with an ApiResult. */
export type LiveMethod<M extends ShellMethod> = (input: ShellInput<M>) => Promise<ApiResult<ShellOutputs[M]>>;

/** The shell's methods that are not the live browser's. */
export const DIALOG_METHODS = ['chooseSavePath'] as const satisfies readonly ShellMethod[];
/** The live browser's own methods (every shell method but the dialogs). */
export type LiveShellMethod = Exclude<ShellMethod, (typeof DIALOG_METHODS)[number]>;

/** The live browser's methods. */
export type LiveShellMethods = { [M in LiveShellMethod]: LiveMethod<M> };

/** `window.custosShell.live`: the methods, and the view's state as it changes. */
export type LiveShell = LiveShellMethods & {
  /** Follows the view's state (address, title, loading); returns the function that stops. */
  onState(listener: (state: LiveViewState) => void): () => void;
};

/**
 * `window.custosShell`: what the shell offers the page besides the API. The preload's object and
 * the browser harness's stand-in are both checked against it; `F` is the page's File type
 * (shared/ has no DOM types).
 */
export interface CustosShell<F> {
  readonly platform: string;
  /** The path of a file the user dropped or chose (the API imports and verifies files by path). */
  pathForFile?(file: F): Promise<string> | string;
  /** The live capture browser (the desktop app only; the browser harness has none). */
  readonly live?: LiveShell;
  /** Capture shortcuts chosen in the app menu or pressed while the live page has the keyboard. */
  onShortcut?(listener: (id: CaptureShortcut) => void): () => void;
  /** The save dialog (the desktop app's own; the browser harness asks with a prompt instead). */
  chooseSavePath?: LiveMethod<'chooseSavePath'>;
}

export const SHELL_METHODS = Object.keys(shellInputSchemas) as ShellMethod[];

/** The live browser's methods, as `window.custosShell.live` holds them. */
export const LIVE_SHELL_METHODS = SHELL_METHODS.filter(
  (method): method is LiveShellMethod => !(DIALOG_METHODS as readonly string[]).includes(method),
);

export function isShellMethod(name: string): name is ShellMethod {
  return Object.hasOwn(shellInputSchemas, name);
}

/** The state of a view that is not open. */
export const CLOSED_LIVE_VIEW: LiveViewState = {
  open: false,
  persona: null,
  url: '',
  title: '',
  loading: false,
  canGoBack: false,
  canGoForward: false,
};
