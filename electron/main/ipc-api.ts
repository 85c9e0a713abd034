/**
 * Registers every method of the shared API (shared/api.ts) on Electron IPC, one channel each.
 * Each handler refuses a sender that is not the app window, hands the input to the API service
 * (which parses it with the method's shared schema before any work) and answers with an
 * `ApiResult` value: errors never cross IPC as exceptions.
 */
import type { IpcMain, IpcMainEvent, IpcMainInvokeEvent } from 'electron';
import { API_METHODS, type ApiResult } from '../../shared/api.js';
import type { ApiService } from '../core/api/api-service.js';
import { RunningCalls } from '../core/api/services/running-calls.js';
import { apiChannel, CANCEL_CHANNEL, isCallId, PROGRESS_CHANNEL } from './ipc-channels.js';
import type { TrustedSenders } from './trusted-sender.js';

/** The part of `ipcMain` the API needs (the tests pass a fake with the same shape). */
export interface ApiIpcMain {
  handle(
    channel: string,
    listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>,
  ): void;
  removeHandler(channel: string): void;
  on(channel: string, listener: (event: IpcMainEvent, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: IpcMainEvent, ...args: unknown[]) => void): unknown;
}

// Electron's own ipcMain must fit the interface above.
const _fits: (ipc: IpcMain) => ApiIpcMain = (ipc) => ipc;

/** What a refused or malformed call gets back. */
function refused(message: string): ApiResult<never> {
  return { ok: false, error: { kind: 'bad-input', message } };
}

/** Registers the API; returns the function that unregisters it (on quit). */
export function registerApiIpc(
  ipcMain: ApiIpcMain,
  service: ApiService,
  trusted: TrustedSenders,
): () => void {
  // Running calls by sender and call id, so that a cancel reaches only its own caller's call.
  const running = new RunningCalls();
  const key = (event: IpcMainEvent | IpcMainInvokeEvent, callId: string) => `${event.sender.id}:${callId}`;

  for (const method of API_METHODS) {
    ipcMain.handle(apiChannel(method), async (event, callId: unknown, input: unknown) => {
      if (!trusted.allows(event)) {
        return refused(`the API answers only the Custos window; ${method} was refused`);
      }
      if (!isCallId(callId)) return refused(`${method} was called without a valid call id`);
      const call = running.start(key(event, callId));
      // A window that goes away mid-call cancels its work.
      event.sender.once('destroyed', call.abort);
      try {
        return await service.call(method, input, {
          signal: call.signal,
          onProgress: (progress) => {
            if (!event.sender.isDestroyed()) event.sender.send(PROGRESS_CHANNEL, callId, progress);
          },
        });
      } finally {
        event.sender.removeListener('destroyed', call.abort);
        call.end();
      }
    });
  }

  const onCancel = (event: IpcMainEvent, callId: unknown) => {
    if (!trusted.allows(event) || !isCallId(callId)) return;
    running.cancel(key(event, callId));
  };
  ipcMain.on(CANCEL_CHANNEL, onCancel);

  return () => {
    for (const method of API_METHODS) ipcMain.removeHandler(apiChannel(method));
    ipcMain.removeListener(CANCEL_CHANNEL, onCancel);
    running.cancelAll();
  };
}
