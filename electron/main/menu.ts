import { Menu, type MenuItemConstructorOptions } from 'electron';
import { accelerator, CAPTURE_SHORTCUTS, type CaptureShortcut } from '../../shared/shortcuts.js';

/** The Capture menu's labels (the menu is the shell's; the renderer's own strings go through i18n). */
const CAPTURE_LABELS: Readonly<Record<CaptureShortcut, string>> = {
  'capture-page': 'Capture Page',
  'capture-visible': 'Capture Visible Area',
  'capture-region': 'Capture Region…',
  'capture-video': 'Record Video / Stop',
};

/**
 * The application menu: the standard edit and window roles (so copy, paste and the usual
 * shortcuts work in the sandboxed renderer), the Capture menu with each capture's shortcut and,
 * outside packaged builds, reload and DevTools. The capture accelerators are shown but not
 * registered with the system: the capture screen handles the keys when the app window has the
 * keyboard, and the live view forwards them when the page has it, so a press never fires twice.
 */
export function buildAppMenu(packaged: boolean, onShortcut: (id: CaptureShortcut) => void): Menu {
  const view: MenuItemConstructorOptions[] = [
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  if (!packaged) view.push({ type: 'separator' }, { role: 'reload' }, { role: 'toggleDevTools' });
  const capture: MenuItemConstructorOptions[] = CAPTURE_SHORTCUTS.map(({ id }) => ({
    label: CAPTURE_LABELS[id],
    accelerator: accelerator(id),
    registerAccelerator: false,
    click: () => onShortcut(id),
  }));
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { label: 'Capture', submenu: capture },
    { label: 'View', submenu: view },
    { role: 'windowMenu' },
  ];
  return Menu.buildFromTemplate(template);
}
