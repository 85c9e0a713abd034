import type { Session, WebContents } from 'electron';

/** Where a guard writes what it blocked (the app log, or a capture view's record). */
export type BlockedLog = (what: string, detail: string) => void;

/**
 * Denies every permission (camera, notifications, geolocation, …), device and download in a
 * session: a captured page must not get any. The one exception, given only with `appOrigin` (the
 * app window's session) and only to that origin's main frame (never a replayed page's frame), is
 * writing text to the clipboard, which the window's Copy buttons need.
 */
export function denySessionPermissions(session: Session, log: BlockedLog, appOrigin?: string): void {
  session.setPermissionRequestHandler((contents, permission, callback, details) => {
    const url = details.requestingUrl || contents?.getURL() || '';
    if (appClipboardWrite(permission, url, details.isMainFrame, appOrigin)) return callback(true);
    log('permission', `${permission} requested by ${url || 'a page'}`);
    callback(false);
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    appClipboardWrite(permission, details.requestingUrl ?? requestingOrigin, details.isMainFrame, appOrigin),
  );
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

/** Whether a permission asked is the app page's own clipboard write (its main frame, its origin). */
function appClipboardWrite(
  permission: string,
  requestingUrl: string,
  isMainFrame: boolean,
  appOrigin: string | undefined,
): boolean {
  if (!appOrigin || permission !== 'clipboard-sanitized-write' || !isMainFrame) return false;
  return requestingUrl === appOrigin || requestingUrl.startsWith(`${appOrigin}/`);
}
