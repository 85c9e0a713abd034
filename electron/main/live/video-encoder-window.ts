import { BrowserWindow, session } from 'electron';
import { cdpEncoderPage, type VideoEncoderPage } from '../../core/capture/video/video-encoder.js';
import { APP_BASE } from '../app-address.js';
import { ElectronCdpSession } from './electron-cdp-session.js';

/**
 * The blank page where videos of the live view are encoded: a file of the app's own scheme
 * (renderer/public/video-encoder.html), since WebCodecs needs a secure context. It loads nothing.
 */
export const VIDEO_ENCODER_PAGE = new URL('video-encoder.html', APP_BASE);

/**
 * A hidden, sandboxed window on the encoder page, driven over its own `webContents.debugger`
 * (electron/core/capture/video-encoder.ts). One per recording; closed when the recording ends.
 */
export async function openVideoEncoderWindow(): Promise<{
  readonly page: VideoEncoderPage;
  close(): Promise<void>;
}> {
  // The preferences are spelled out here, as in every window, for electronegativity to check.
  const window = new BrowserWindow({
    show: false,
    width: 64,
    height: 64,
    webPreferences: {
      session: session.defaultSession,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webviewTag: false,
      // A hidden window would otherwise be throttled, and the video fall behind the view.
      backgroundThrottling: false,
      disableBlinkFeatures: 'Auxclick',
    },
  });
  try {
    await window.webContents.loadURL(VIDEO_ENCODER_PAGE.href);
  } catch (error) {
    window.destroy();
    throw new Error(`could not open the video encoder page: ${(error as Error).message}`);
  }
  const cdp = new ElectronCdpSession(window.webContents);
  return {
    page: cdpEncoderPage(cdp),
    close: async () => {
      cdp.close();
      if (!window.isDestroyed()) window.destroy();
    },
  };
}
