/**
 * The IPC channel names shared by the main process and the preload. No Electron import: the
 * preload bundles this file, and the IPC tests run it on plain Node.
 */
import type { ApiInput, ApiMethod, ApiOutputs, ApiProgress, ApiResult } from '../../shared/api.js';

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

/** One API method as the preload carries it: the input, the call id that names it for a cancel, progress. */
export type BridgeMethod<M extends ApiMethod> = (
  input: ApiInput<M>,
  callId: string,
  onProgress?: (progress: ApiProgress) => void,
) => Promise<ApiResult<ApiOutputs[M]>>;

/** Every API method as the preload carries it. */
export type BridgeMethods = { readonly [M in ApiMethod]: BridgeMethod<M> };

/** `custosIpc`, what the preload exposes to the page: the methods and `cancel`. The page turns it into `window.custos`. */
export type IpcBridge = BridgeMethods & { readonly cancel: (callId: string) => void };

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
