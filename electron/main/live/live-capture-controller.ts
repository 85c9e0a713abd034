import type { BrowserWindow } from 'electron';
import { LiveCaptureView } from './live-capture-view.js';

/** The capture the keyboard shortcuts ask for. */
export type LiveCaptureKind = 'page' | 'visible' | 'region' | 'video';

/**
 * Keeps the one live capture view of the app window: opens it over the capture screen's area,
 * swaps it when the persona changes, and runs the captures the shortcuts ask for.
 */
export class LiveCaptureController {
  private live: LiveCaptureView | null = null;
  private persona: string | null = null;

  constructor(private readonly window: BrowserWindow) {}

  /** Shows `address` as `persona` in the given area of the window. */
  async show(address: string, persona: string | null, bounds: Electron.Rectangle): Promise<LiveCaptureView> {
    if (!this.live || this.persona !== persona) {
      this.close();
      this.live = await LiveCaptureView.open(persona);
      this.persona = persona;
      this.window.contentView.addChildView(this.live.view);
    }
    this.live.view.setBounds(bounds);
    await this.live.load(address);
    return this.live;
  }

  /** The view on screen, if any. */
  current(): LiveCaptureView | null {
    return this.live;
  }

  /** Removes the view from the window and closes its page. */
  close(): void {
    if (!this.live) return;
    this.window.contentView.removeChildView(this.live.view);
    this.live.close();
    this.live = null;
  }
}
