/**
 * The preload script: the only bridge between the sandboxed renderer and the main process.
 * It exposes named methods only (one per API method, from the one declaration in shared/api.ts),
 * never `ipcRenderer` itself and never `process.env`.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import {
  API_METHODS,
  type ApiCall,
  type ApiInput,
  type ApiMethod,
  type ApiOutputs,
  type ApiProgress,
  type ApiResult,
  type CustosApi,
  cancelledResult,
  methodTable,
} from '../shared/api.js';
import {
  type CustosShell,
  LIVE_SHELL_METHODS,
  type LiveMethod,
  type LiveShellMethod,
  type LiveShellMethods,
  type ShellMethod,
} from '../shared/shell-api.js';
import {
  apiChannel,
  type BridgeMethod,
  type BridgeMethods,
  CANCEL_CHANNEL,
  type IpcBridge,
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
function bridgeMethod<M extends ApiMethod>(method: M): BridgeMethod<M> {
  return async (input, callId, onProgress) => {
    if (typeof onProgress === 'function') listeners.set(callId, onProgress);
    try {
      return (await ipcRenderer.invoke(apiChannel(method), callId, input)) as ApiResult<ApiOutputs[M]>;
    } finally {
      listeners.delete(callId);
    }
  };
}

const custosIpc = {
  ...methodTable<ApiMethod, BridgeMethods>(API_METHODS, bridgeMethod),
  cancel: (callId: string) => ipcRenderer.send(CANCEL_CHANNEL, callId),
} satisfies IpcBridge;
contextBridge.exposeInMainWorld('custosIpc', custosIpc);

/** Subscribes to one main → window channel; returns the function that stops (callable from the page). */
function follow<T>(channel: string, listener: (value: T) => void): () => void {
  const onMessage = (_event: unknown, value: unknown) => listener(value as T);
  ipcRenderer.on(channel, onMessage);
  return () => {
    ipcRenderer.removeListener(channel, onMessage);
  };
}

/** One shell method (shared/shell-api.ts) over IPC. */
function liveMethod<M extends ShellMethod>(method: M): LiveMethod<M> {
  return (input) => ipcRenderer.invoke(shellChannel(method), input ?? {});
}

const custosShell = {
  platform: process.platform,
  /** The path of a dropped or chosen file (Electron no longer puts it on File). */
  pathForFile: (file: File) => webUtils.getPathForFile(file),
  live: {
    ...methodTable<LiveShellMethod, LiveShellMethods>(LIVE_SHELL_METHODS, liveMethod),
    onState: (listener) => follow(LIVE_STATE_CHANNEL, listener),
  },
  /** A capture shortcut chosen in the menu or pressed while the live page had the keyboard. */
  onShortcut: (listener) => follow(SHORTCUT_CHANNEL, listener),
  /** The system's save dialog (where a bundle goes). */
  chooseSavePath: liveMethod('chooseSavePath'),
} satisfies CustosShell<File>;
contextBridge.exposeInMainWorld('custosShell', custosShell);

/**
 * Runs in the page's own world: builds `window.custos` (CustosApi) over `custosIpc`. An
 * AbortSignal cannot cross the context bridge, so it is turned here into a cancel message.
 * This function is sent as source text: it must not use anything from outside itself.
 */
function installCustosApi(methods: readonly ApiMethod[], cancelled: ApiResult<never>): void {
  const page = globalThis as unknown as { custosIpc: IpcBridge; custos?: CustosApi };
  const ipc = page.custosIpc;
  let next = 0;
  const method = <M extends ApiMethod>(name: M): ApiCall<M> => {
    const send: BridgeMethod<M> = (ipc as BridgeMethods)[name];
    return async (input, options = {}) => {
      const callId = `c${Date.now().toString(36)}${(next++).toString(36)}`;
      const { signal } = options;
      if (signal?.aborted) return cancelled;
      const onAbort = () => ipc.cancel(callId);
      signal?.addEventListener('abort', onAbort);
      try {
        return await send(input ?? ({} as ApiInput<M>), callId, options.onProgress);
      } finally {
        signal?.removeEventListener('abort', onAbort);
      }
    };
  };
  // The table is built here, not with shared/api.ts's methodTable: this function runs as source
  // text in the page's world, where nothing from this file exists.
  const api = Object.fromEntries(methods.map((name) => [name, method(name)])) as CustosApi;
  Object.defineProperty(page, 'custos', { value: Object.freeze(api), writable: false, configurable: false });
}

// The cancelled answer is passed in, so the page gives the same one as every transport.
contextBridge.executeInMainWorld({ func: installCustosApi, args: [API_METHODS, cancelledResult()] });
