/**
 * The IPC channel names shared by the main process and the preload. No Electron import: the
 * preload bundles this file, and the IPC tests run it on plain Node.
 */

/** Prefix of the one channel per API method: `custos:api:<method>`. */
export const API_CHANNEL_PREFIX = 'custos:api:';

/** Main → window: progress of a running call, `(callId, ApiProgress)`. */
export const PROGRESS_CHANNEL = 'custos:progress';

/** Window → main: stop a running call, `(callId)`. */
export const CANCEL_CHANNEL = 'custos:cancel';

/** The channel of one API method. */
export function apiChannel(method: string): string {
  return `${API_CHANNEL_PREFIX}${method}`;
}

/** A call id from the window: short and plain, so it can key a map and never grow one without bound. */
export function isCallId(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(value);
}

/** Prefix of the one channel per shell method (shared/shell-api.ts): `custos:shell:<method>`. */
export const SHELL_CHANNEL_PREFIX = 'custos:shell:';

/** The channel of one shell method. */
export function shellChannel(method: string): string {
  return `${SHELL_CHANNEL_PREFIX}${method}`;
}

/** Main → window: the live view's state changed, `(LiveViewState)`. */
export const LIVE_STATE_CHANNEL = 'custos:live-state';

/** Main → window: a capture shortcut was pressed in the live view or chosen in the menu, `(CaptureShortcut)`. */
export const SHORTCUT_CHANNEL = 'custos:shortcut';
