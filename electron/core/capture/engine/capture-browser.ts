import type { CdpSession } from './cdp-session.js';

/** A browser tab the engine captures in: a DevTools session and the signal that it is gone. */
export interface CaptureTab {
  readonly session: CdpSession;
  /** Resolves with the reason when the tab crashes or its browser exits; never rejects. */
  readonly lost: Promise<Error>;
  /** Closes the tab (and its throw-away profile) without running the page's unload handlers. */
  close(): Promise<void>;
}

/**
 * The browser the engine captures with: a system Chromium through playwright-core (CLI, tests) or,
 * later, the desktop app's own browser views.
 */
export interface CaptureBrowser {
  readonly executablePath: string;
  /** False once the browser has exited or crashed; a new one must be launched. */
  readonly connected: boolean;
  /** A new tab; without a persona, in a fresh profile of its own. */
  openTab(): Promise<CaptureTab>;
  /** Waits until the browser's window is closed (a persona's visible window). */
  waitUntilClosed(): Promise<void>;
  close(): Promise<void>;
}
