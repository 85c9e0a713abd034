/**
 * The capture shortcuts, declared once: the app menu shows them as accelerators, the main process
 * forwards them from the live view (where the page has the keyboard), and the capture screen
 * handles them when the app window has the keyboard. The screen lists them too.
 */

export const CAPTURE_SHORTCUTS = [
  { id: 'capture-page', key: 'S' },
  { id: 'capture-visible', key: 'E' },
  { id: 'capture-region', key: 'X' },
  /** Starts a video of the live view, or stops the one being recorded. */
  { id: 'capture-video', key: 'R' },
] as const;

export type CaptureShortcut = (typeof CAPTURE_SHORTCUTS)[number]['id'];

/** A key press, as the DOM and Electron's `before-input-event` both describe it. */
export interface KeyPress {
  readonly key: string;
  readonly ctrl: boolean;
  readonly meta: boolean;
  readonly shift: boolean;
  readonly alt: boolean;
}

/** Electron's accelerator for a shortcut: Ctrl+Shift+<key> (Cmd+Shift+<key> on macOS). */
export function accelerator(id: CaptureShortcut): string {
  return `CommandOrControl+Shift+${shortcutKey(id)}`;
}

/** The shortcut as the screen shows it, for the platform (`darwin` shows ⌘). */
export function shortcutLabel(id: CaptureShortcut, platform: string): string {
  return `${platform === 'darwin' ? '⌘' : 'Ctrl'} Shift ${shortcutKey(id)}`;
}

/** Which capture a key press asks for, if any: Ctrl (or Cmd on macOS) + Shift + the key, no Alt. */
export function matchShortcut(press: KeyPress, platform: string): CaptureShortcut | null {
  const command = platform === 'darwin' ? press.meta && !press.ctrl : press.ctrl && !press.meta;
  if (!command || !press.shift || press.alt) return null;
  const key = press.key.length === 1 ? press.key.toUpperCase() : press.key;
  return CAPTURE_SHORTCUTS.find((s) => s.key === key)?.id ?? null;
}

function shortcutKey(id: CaptureShortcut): string {
  return CAPTURE_SHORTCUTS.find((s) => s.id === id)!.key;
}
