/**
 * The system's save dialog for the app window (`chooseSavePath` of shared/shell-api.ts): where a
 * bundle goes. The renderer gets a path back and never touches the file system itself.
 */
import { type BrowserWindow, dialog } from 'electron';
import type { ShellOutputs, ShellParsedInput } from '../../shared/shell-api.js';

/** Shows the save dialog over `window`; the chosen path, or null when the investigator cancelled. */
export async function chooseSavePath(
  window: BrowserWindow,
  input: ShellParsedInput<'chooseSavePath'>,
): Promise<ShellOutputs['chooseSavePath']> {
  const choice = await dialog.showSaveDialog(window, {
    defaultPath: input.defaultPath || undefined,
    filters:
      input.extensions.length > 0
        ? [{ name: input.extensions.join(', '), extensions: input.extensions }]
        : [],
    properties: ['createDirectory', 'showOverwriteConfirmation'],
  });
  return choice.canceled || !choice.filePath ? null : choice.filePath;
}
