/**
 * Runs in the harness page before the app: binds `window.custos` to the loopback client and
 * `window.custosShell` to the harness's stand-ins for what the Electron shell provides. The token
 * comes in the address's fragment (never sent to a server) and is kept for reloads of this tab.
 */
import type { CustosShell } from '../../shared/shell-api.js';
import { createLoopbackClient } from './loopback-client.js';

/** A dropped file as the harness page sees it (tools/ has no DOM types). */
type PageFile = { readonly name: string; readonly lastModified: number } & Blob;

interface PageGlobals {
  location: { origin: string; hash: string; pathname: string; search: string };
  history: { replaceState(data: unknown, unused: string, url: string): void };
  sessionStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void };
  custos?: unknown;
  custosShell?: unknown;
  prompt(message: string, initial: string): string | null;
}

const page = globalThis as unknown as PageGlobals;
const STORAGE_KEY = 'custos-harness-token';
const fromHash = new URLSearchParams(page.location.hash.slice(1)).get('token');
if (fromHash) {
  page.sessionStorage.setItem(STORAGE_KEY, fromHash);
  page.history.replaceState(null, '', `${page.location.pathname}${page.location.search}`);
}
const token = fromHash ?? page.sessionStorage.getItem(STORAGE_KEY) ?? '';
const client = createLoopbackClient({ baseUrl: page.location.origin, token });

page.custos = client.api;
page.custosShell = {
  platform: 'harness',
  /** A dropped file has no path in a browser: the harness saves a copy and answers with its path. */
  pathForFile: (file: PageFile) => client.upload(file.name, file, file.lastModified),
  /**
   * The save dialog's stand-in: a browser has no access to the file system's dialogs, so the
   * harness asks for the path in a prompt, filled in with the suggested one.
   */
  chooseSavePath: async ({ defaultPath }) => {
    const chosen = page.prompt('Save as (a path on this machine)', defaultPath ?? '');
    return { ok: true, value: chosen === null || chosen.trim() === '' ? null : chosen.trim() };
  },
} satisfies CustosShell<PageFile>;
