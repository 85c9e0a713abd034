/**
 * The app window's icon, from assets/ (made by `npm run icons` from assets/icon.svg and packed by
 * electron-builder.yml). No Electron import: the boot test checks the path on plain Node.
 */
import path from 'node:path';

/**
 * The window icon for `platform`: the ICO on Windows, a PNG on Linux; none on macOS, where the
 * window shows the app bundle's own icon (assets/icon.icns).
 */
export function windowIconPath(appRoot: string, platform: string): string | undefined {
  if (platform === 'darwin') return undefined;
  if (platform === 'win32') return path.join(appRoot, 'assets', 'icon.ico');
  return path.join(appRoot, 'assets', 'icons', '256x256.png');
}
