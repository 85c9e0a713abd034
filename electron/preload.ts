/**
 * The preload script: the only bridge between the sandboxed renderer and the main process.
 * It exposes named methods only (one per API method, from the one declaration in shared/api.ts),
 * never `ipcRenderer` itself and never `process.env`.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { API_METHODS, type ApiProgress, type ApiResult } from '../shared/api.js';
import { type LiveViewState, SHELL_METHODS } from '../shared/shell-api.js';
import type { CaptureShortcut } from '../shared/shortcuts.js';
import {
  apiChannel,
  CANCEL_CHANNEL,
  LIVE_STATE_CHANNEL,
  PROGRESS_CHANNEL,
  SHORTCUT_CHANNEL,
  shellChannel,
} from './main/ipc-channels.js';

type ProgressListener = (progress: ApiProgress) => void;

const listeners = new Map<string, ProgressListener>();
ipcRenderer.on(PROGRESS_CHANNEL, (_event, callId: unknown, progress: unknown) => {
  if (typeof callId === 'string') listeners.get(callId)?.(progress as ApiProgress);
});

/** One API method over IPC: the main process parses the input and answers with an ApiResult. */
function bridgeMethod(method: string) {
  return async (
    input: unknown,
    callId: string,
    onProgress?: ProgressListener,
  ): Promise<ApiResult<unknown>> => {
    if (typeof onProgress === 'function') listeners.set(callId, onProgress);
    try {
      return (await ipcRenderer.invoke(apiChannel(method), callId, input)) as ApiResult<unknown>;
    } finally {
      listeners.delete(callId);
    }
  };
}

const bridge: Record<string, unknown> = Object.fromEntries(API_METHODS.map((m) => [m, bridgeMethod(m)]));
bridge.cancel = (callId: string) => ipcRenderer.send(CANCEL_CHANNEL, callId);
contextBridge.exposeInMainWorld('custosIpc', bridge);

/** Subscribes to one main → window channel; returns the function that stops (callable from the page). */
function follow<T>(channel: string, listener: (value: T) => void): () => void {
  const onMessage = (_event: unknown, value: unknown) => listener(value as T);
  ipcRenderer.on(channel, onMessage);
  return () => {
    ipcRenderer.removeListener(channel, onMessage);
  };
}

// The live capture browser's methods (shared/shell-api.ts), one named function each.
const live: Record<string, unknown> = Object.fromEntries(
  SHELL_METHODS.map((method) => [
    method,
    (input: unknown) => ipcRenderer.invoke(shellChannel(method), input ?? {}),
  ]),
);
live.onState = (listener: (state: LiveViewState) => void) => follow(LIVE_STATE_CHANNEL, listener);

contextBridge.exposeInMainWorld('custosShell', {
  platform: process.platform,
  /** The path of a dropped or chosen file (Electron no longer puts it on File). */
  pathForFile: (file: File) => webUtils.getPathForFile(file),
  live,
  /** A capture shortcut chosen in the menu or pressed while the live page had the keyboard. */
  onShortcut: (listener: (id: CaptureShortcut) => void) => follow(SHORTCUT_CHANNEL, listener),
});

/**
 * Runs in the page's own world: builds `window.custos` (CustosApi) over `custosIpc`. An
 * AbortSignal cannot cross the context bridge, so it is turned here into a cancel message.
 * This function is sent as source text: it must not use anything from outside itself.
 */
function installCustosApi(methods: readonly string[]): void {
  type Options = { onProgress?: (p: unknown) => void; signal?: AbortSignal };
  type Ipc = Record<string, (...args: unknown[]) => Promise<unknown>> & { cancel(id: string): void };
  const page = globalThis as unknown as { custosIpc: Ipc; custos?: unknown };
  const ipc = page.custosIpc;
  let next = 0;
  const api: Record<string, unknown> = {};
  for (const method of methods) {
    api[method] = async (input: unknown, options: Options = {}) => {
      const callId = `c${Date.now().toString(36)}${(next++).toString(36)}`;
      const { signal } = options;
      if (signal?.aborted)
        return { ok: false, error: { kind: 'cancelled', message: 'cancelled; nothing more was done' } };
      const onAbort = () => ipc.cancel(callId);
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        return await ipc[method]!(input ?? {}, callId, options.onProgress);
      } finally {
        signal?.removeEventListener('abort', onAbort);
      }
    };
  }
  Object.defineProperty(page, 'custos', { value: Object.freeze(api), writable: false, configurable: false });
}

contextBridge.executeInMainWorld({ func: installCustosApi, args: [API_METHODS] });
