/**
 * The desktop app driven by Playwright's `_electron`, wrapped in one helper with typed waits.
 * It runs only where an Electron binary exists (ELECTRON_OVERRIDE_DIST_PATH, or one downloaded by
 * `npm start`); `electronBinary()` says which, or why there is none, so the tests can skip with
 * that reason printed.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import {
  type ElectronApplication,
  _electron as electron,
  type FrameLocator,
  type Page,
} from 'playwright-core';
import { ELECTRON_SQLITE_COMMAND, electronSqlitePath } from '../../../electron/main/sqlite-native.js';
import { makeTempDir, removeTempDir } from '../../support/temp-store.js';

const require = createRequire(import.meta.url);
const repo = path.resolve(import.meta.dirname, '..', '..', '..');

/** The Electron executable to run, or the reason there is none (or no better-sqlite3 for it) on this machine. */
export function electronBinary(): { path: string } | { missing: string } {
  let executable: string;
  try {
    executable = require('electron') as string;
  } catch {
    return {
      missing:
        'no Electron binary: set ELECTRON_OVERRIDE_DIST_PATH to an Electron build, or run `npm start` once where it can be downloaded',
    };
  }
  if (!fs.existsSync(executable)) return { missing: `no Electron binary at ${executable}` };
  const { version } = require('electron/package.json') as { version: string };
  const sqlite = electronSqlitePath(repo, version, process.platform, process.arch);
  if (!fs.existsSync(sqlite)) {
    return {
      missing: `no better-sqlite3 for Electron ${version} at ${sqlite}: run \`${ELECTRON_SQLITE_COMMAND}\``,
    };
  }
  return { path: executable };
}

/** One running app on a store, home and data folder of its own. */
export class CustosApp {
  private constructor(
    readonly app: ElectronApplication,
    readonly window: Page,
    readonly home: string,
    readonly storeDir: string,
  ) {}

  /** Starts the built app (out/electron) with a fresh home, data folder and store. */
  static async launch(executablePath: string): Promise<CustosApp> {
    const home = makeTempDir('custos-e2e-');
    const storeDir = path.join(home, 'store');
    const app = await electron.launch({
      executablePath,
      args: [repo, '--no-sandbox', '--disable-gpu'],
      cwd: repo,
      env: {
        ...process.env,
        HOME: home,
        XDG_CONFIG_HOME: path.join(home, 'config'),
        CUSTOS_STORE: storeDir,
      },
      timeout: 60_000,
    });
    const window = await app.firstWindow();
    await window.waitForLoadState('domcontentloaded');
    return new CustosApp(app, window, home, storeDir);
  }

  /** Where the export screen suggests saving bundles. */
  get exportDir(): string {
    return path.join(this.home, 'Documents', 'Custos exports');
  }

  /** Waits for the first-run screen and creates the investigator's profile and key. */
  async completeFirstRun(name: string): Promise<void> {
    await this.window.getByLabel('Investigator name').fill(name);
    await this.window.getByRole('button', { name: 'Create profile and key' }).click();
    await this.window.locator('.sidebar-foot', { hasText: name }).waitFor();
  }

  /** Creates a case and waits for its empty evidence list. */
  async createCase(number: string, title: string): Promise<void> {
    await this.window.getByLabel('Case number').fill(number);
    await this.window.getByLabel('Title', { exact: true }).fill(title);
    await this.window.getByRole('button', { name: 'Create case' }).click();
    await this.window.getByText('No evidence in this case yet').waitFor();
  }

  /** Captures an address from the capture bar; resolves with the digest the notice shows. */
  async captureAddress(url: string): Promise<string> {
    await this.window.getByLabel('Address to capture').fill(url);
    await this.window.getByRole('button', { name: 'Capture', exact: true }).click();
    const digest = this.window.getByTestId('capture-digest');
    await digest.waitFor({ timeout: 120_000 });
    return (await digest.textContent()) ?? '';
  }

  /** Opens the live browser of the capture screen and waits for its panel. */
  async openLiveBrowser(): Promise<void> {
    await this.window.getByRole('button', { name: 'Live browser', exact: true }).click();
    await this.window.getByRole('region', { name: 'Live browser' }).waitFor();
  }

  /** Loads an address in the live view from the capture bar and waits until it shows it. */
  async browseLive(url: string): Promise<void> {
    await this.window.getByLabel('Address to open in the live browser').fill(url);
    await this.window.getByLabel('Address to open in the live browser').press('Enter');
    await this.window
      .getByTestId('live-title')
      .filter({ hasText: new URL(url).host })
      .waitFor({ timeout: 60_000 });
    await this.window
      .getByTestId('live-title')
      .filter({ hasNotText: 'Loading' })
      .waitFor({ timeout: 60_000 });
  }

  /** Runs a capture shortcut in the capture screen; resolves with the new item's digest. */
  async captureWithShortcut(key: 'S' | 'E'): Promise<string> {
    const before = await this.window.getByTestId('capture-digest').count();
    await this.window.keyboard.press(`Control+Shift+${key}`);
    return this.newDigest(before);
  }

  /** Drags a rectangle (CSS px of the view) over the region overlay; resolves with the new item's digest. */
  async captureRegion(rect: { x: number; y: number; width: number; height: number }): Promise<string> {
    const before = await this.window.getByTestId('capture-digest').count();
    await this.window.keyboard.press('Control+Shift+X');
    const overlay = this.window.getByTestId('region-overlay');
    await overlay.waitFor();
    const box = await overlay.boundingBox();
    if (!box) throw new Error('the region overlay has no box');
    await this.window.mouse.move(box.x + rect.x, box.y + rect.y);
    await this.window.mouse.down();
    await this.window.mouse.move(box.x + rect.x + rect.width / 2, box.y + rect.y + rect.height / 2);
    await this.window.mouse.move(box.x + rect.x + rect.width, box.y + rect.y + rect.height);
    await this.window.mouse.up();
    return this.newDigest(before);
  }

  /** Runs script in the live view's page (the web contents showing `urlPrefix`), from the main process. */
  async inLiveView(urlPrefix: string, script: string): Promise<unknown> {
    return this.app.evaluate(
      async ({ webContents }, { prefix, code }) => {
        const live = webContents.getAllWebContents().find((w) => w.getURL().startsWith(prefix));
        if (!live) throw new Error(`no web contents shows ${prefix}`);
        return live.executeJavaScript(code, true);
      },
      { prefix: urlPrefix, code: script },
    );
  }

  /** An item of the open case by its digest, as the API gives it (record and artifacts). */
  async itemByDigest(caseNumber: string, digest: string): Promise<Record<string, unknown>> {
    return this.window.evaluate(
      async ({ caseRef, wanted }) => {
        type Result = { ok: boolean; value: { id: string; digest: string }[] };
        const api = (globalThis as unknown as { custos: Record<string, (i: unknown) => Promise<unknown>> })
          .custos;
        const items = (await api.listItems!({ caseRef })) as Result;
        const item = items.value.find((i) => i.digest === wanted);
        if (!item) throw new Error(`no item with digest ${wanted}`);
        return ((await api.getItem!({ itemId: item.id })) as { value: Record<string, unknown> }).value;
      },
      { caseRef: caseNumber, wanted: digest },
    );
  }

  private async newDigest(before: number): Promise<string> {
    const digests = this.window.getByTestId('capture-digest');
    await digests.nth(before).waitFor({ timeout: 120_000 });
    return (await digests.nth(before).textContent()) ?? '';
  }

  /** Exports the open case where the app suggests; resolves with the bundle's path. */
  async exportCase(): Promise<string> {
    await this.window.keyboard.press('Alt+4');
    await this.window.getByRole('heading', { name: 'Export a sealed bundle' }).waitFor();
    const destination = this.window.getByLabel('Save the bundle as');
    await this.window.getByRole('button', { name: 'Export bundle' }).click();
    await this.window.getByTestId('bundle-hash').waitFor({ timeout: 120_000 });
    return destination.inputValue();
  }

  /**
   * Opens the case's item with this title in the item screen, then its Replay tab; resolves with
   * the replayed page (the frame page's own frame, on the replay scheme).
   */
  async openReplay(caseNumber: string, title: string): Promise<FrameLocator> {
    await this.window.keyboard.press('Alt+1');
    await this.window.getByRole('button', { name: new RegExp(caseNumber) }).click();
    // The first such row: the live browser's captures of the same page share its title.
    await this.window.locator('.table-row', { hasText: title }).first().dblclick();
    await this.window.getByRole('tab', { name: 'Replay' }).click();
    return this.window
      .frameLocator('iframe.replay-frame')
      .frameLocator('iframe[name="___wb_replay_top_frame"]');
  }

  /** How many windows the app has open (pop-ups would add some). */
  windowCount(): Promise<number> {
    return this.app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length);
  }

  /** Closes the app and removes its folders. */
  async close(): Promise<void> {
    await this.app.close().catch(() => undefined);
    removeTempDir(this.home);
  }
}
