import type { WebContents } from 'electron';
import {
  type CdpCommand,
  type CdpEvent,
  CdpEventHub,
  type CdpEventPayload,
  type CdpParams,
  type CdpResult,
  type CdpSession,
} from '../../core/capture/engine/cdp-session.js';

/**
 * The capture engine's DevTools session over Electron's own `webContents.debugger`, so the app
 * captures with the browser the investigator sees. Attach it before the first `loadURL`: the
 * debugger then sees the page's first request.
 */
export class ElectronCdpSession implements CdpSession {
  private readonly events = new CdpEventHub();
  private readonly onMessage = (
    _event: Electron.Event,
    method: string,
    params: unknown,
    sessionId: string,
  ) => {
    // Messages of flat child sessions carry a session id; the engine reaches children its own way.
    if (!sessionId) this.events.emit(method, params);
  };

  constructor(private readonly contents: WebContents) {
    if (!contents.debugger.isAttached()) contents.debugger.attach('1.3');
    contents.debugger.on('message', this.onMessage);
  }

  send<M extends CdpCommand>(method: M, ...params: CdpParams<M>): Promise<CdpResult<M>> {
    return this.contents.debugger.sendCommand(method, params[0] ?? {}) as Promise<CdpResult<M>>;
  }

  on<E extends CdpEvent>(event: E, handler: (payload: CdpEventPayload<E>) => void): () => void {
    return this.events.on(event, handler);
  }

  /** Stops listening and detaches the debugger (if the contents still exist). */
  close(): void {
    if (this.contents.isDestroyed()) return;
    this.contents.debugger.removeListener('message', this.onMessage);
    if (this.contents.debugger.isAttached()) this.contents.debugger.detach();
  }
}
