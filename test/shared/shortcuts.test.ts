import { describe, expect, it } from 'vitest';
import { accelerator, CAPTURE_SHORTCUTS, matchShortcut, shortcutLabel } from '../../shared/shortcuts.js';

const press = (
  key: string,
  mods: Partial<{ ctrl: boolean; meta: boolean; shift: boolean; alt: boolean }>,
) => ({
  key,
  ctrl: false,
  meta: false,
  shift: false,
  alt: false,
  ...mods,
});

describe('the capture shortcuts', () => {
  it('match Ctrl+Shift+key on Linux and Windows and Cmd+Shift+key on macOS, either case of the key', () => {
    expect(matchShortcut(press('S', { ctrl: true, shift: true }), 'linux')).toBe('capture-page');
    expect(matchShortcut(press('e', { ctrl: true, shift: true }), 'win32')).toBe('capture-visible');
    expect(matchShortcut(press('X', { meta: true, shift: true }), 'darwin')).toBe('capture-region');
    expect(matchShortcut(press('r', { ctrl: true, shift: true }), 'linux')).toBe('capture-video');
  });

  it('leave every other combination to the page (no Shift, Alt added, the other platform’s modifier)', () => {
    expect(matchShortcut(press('s', { ctrl: true }), 'linux')).toBeNull();
    expect(matchShortcut(press('S', { ctrl: true, shift: true, alt: true }), 'linux')).toBeNull();
    expect(matchShortcut(press('S', { meta: true, shift: true }), 'linux')).toBeNull();
    expect(matchShortcut(press('S', { ctrl: true, shift: true }), 'darwin')).toBeNull();
    expect(matchShortcut(press('Q', { ctrl: true, shift: true }), 'linux')).toBeNull();
  });

  it('give the menu an Electron accelerator and the screen a label for each capture, all different', () => {
    expect(CAPTURE_SHORTCUTS.map((s) => accelerator(s.id))).toEqual([
      'CommandOrControl+Shift+S',
      'CommandOrControl+Shift+E',
      'CommandOrControl+Shift+X',
      'CommandOrControl+Shift+R',
    ]);
    expect(shortcutLabel('capture-region', 'linux')).toBe('Ctrl Shift X');
    expect(shortcutLabel('capture-region', 'darwin')).toBe('⌘ Shift X');
    expect(new Set(CAPTURE_SHORTCUTS.map((s) => s.key)).size).toBe(CAPTURE_SHORTCUTS.length);
  });
});
