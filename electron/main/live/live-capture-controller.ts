import type { BrowserWindow } from 'electron';
import { CLOSED_LIVE_VIEW, type LiveViewState, type ViewBounds } from '../../../shared/shell-api.js';
import type { CaptureShortcut } from '../../../shared/shortcuts.js';
import type { LiveViewSource } from '../../core/api/handlers/handlers.js';
import type { LiveCapture } from '../../core/capture/live/live-capture.js';
import { LIVE_STATE_CHANNEL, SHORTCUT_CHANNEL } from '../ipc-channels.js';
import type { LiveShellHandlers } from '../shell-ipc.js';
import { LiveCaptureView } from './live-capture-view.js';
import { openVideoEncoderWindow } from './video-encoder-window.js';

function rectangle(bounds: ViewBounds): Electron.Rectangle {
  return {
    x: Math.round(bounds.x),
    y: Math.round(bounds.y),
    width: Math.round(bounds.width),
    height: Math.round(bounds.height),
  };
}

/**
 * Keeps the one live capture view of the app window: opens it over the capture screen's
 * placeholder, swaps it when the persona changes, follows the placeholder's box, and tells the
 * window the view's state and the shortcuts pressed in it. It is the shell's handlers
 * (shared/shell-api.ts) and, for `captureLive`, the API's source of the live recording.
 */
export class LiveCaptureController implements LiveViewSource {
  private live: LiveCaptureView | null = null;

  constructor(private readonly window: BrowserWindow) {}

  current(): LiveCapture | null {
    return this.live?.recording ?? null;
  }

  /** A hidden window where a video of the view is encoded (never the view itself). */
  openVideoEncoder(): ReturnType<typeof openVideoEncoderWindow> {
    return openVideoEncoderWindow();
  }

  /** A capture shortcut chosen in the menu or pressed in the view: the capture screen runs it. */
  shortcut(id: CaptureShortcut): void {
    if (!this.window.isDestroyed()) this.window.webContents.send(SHORTCUT_CHANNEL, id);
  }

  readonly handlers: LiveShellHandlers = {
    liveOpen: async ({ persona, bounds }) => {
      const wanted = persona ?? null;
      if (!this.live || this.live.persona !== wanted) {
        await this.close();
        this.live = await LiveCaptureView.open(wanted, {
          changed: () => this.notify(),
          shortcut: (id) => this.shortcut(id),
        });
        this.window.contentView.addChildView(this.live.view);
      }
      this.live.view.setBounds(rectangle(bounds));
      return this.state();
    },
    liveClose: async () => {
      await this.close();
      return this.state();
    },
    liveBounds: ({ bounds }) => {
      this.live?.view.setBounds(rectangle(bounds));
      return this.state();
    },
    liveNavigate: async ({ url }) => {
      await this.require().load(url);
      return this.state();
    },
    liveBack: () => {
      this.require().back();
      return this.state();
    },
    liveForward: () => {
      this.require().forward();
      return this.state();
    },
    liveReload: () => {
      this.require().reload();
      return this.state();
    },
    liveFreeze: () => this.require().freeze(),
    liveUnfreeze: () => {
      this.live?.unfreeze();
      return this.state();
    },
    liveState: () => this.state(),
  };

  /** Removes the view from the window and closes its page. */
  async close(): Promise<void> {
    const live = this.live;
    if (!live) return;
    this.live = null;
    if (!this.window.isDestroyed()) this.window.contentView.removeChildView(live.view);
    await live.close();
    this.notify();
  }

  private state(): LiveViewState {
    return this.live?.state() ?? CLOSED_LIVE_VIEW;
  }

  private require(): LiveCaptureView {
    if (!this.live) throw new Error('the live browser is not open: open it in the capture bar first');
    return this.live;
  }

  private notify(): void {
    if (!this.window.isDestroyed()) this.window.webContents.send(LIVE_STATE_CHANNEL, this.state());
  }
}
