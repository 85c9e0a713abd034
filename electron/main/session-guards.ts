import type { Session, WebContents } from 'electron';

/** Where a guard writes what it blocked (the app log, or a capture view's record). */
export type BlockedLog = (what: string, detail: string) => void;

/**
 * Denies every permission (camera, notifications, geolocation, …), device and download in a
 * session: the app window needs none, and a captured page must not get any.
 */
export function denySessionPermissions(session: Session, log: BlockedLog): void {
  session.setPermissionRequestHandler((contents, permission, callback, details) => {
    log(
      'permission',
      `${permission} requested by ${details.requestingUrl || contents?.getURL() || 'a page'}`,
    );
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.on('will-download', (event, item) => {
    event.preventDefault();
    log('download', `${item.getURL()} (${item.getMimeType() || 'unknown type'}) was refused`);
  });
}

/** Blocks new windows and `<webview>` in any web contents (Electron's security checklist). */
export function denyWindowsAndWebviews(contents: WebContents, log: BlockedLog): void {
  contents.setWindowOpenHandler(({ url }) => {
    log('pop-up', url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event, _preferences, params) => {
    event.preventDefault();
    log('webview', params.src ?? 'a webview');
  });
}
