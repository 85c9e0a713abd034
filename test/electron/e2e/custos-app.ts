/**
 * The desktop app driven by Playwright's `_electron`, wrapped in one helper with typed waits.
 * It runs only where an Electron binary exists (ELECTRON_OVERRIDE_DIST_PATH, or one downloaded by
 * `npm start`); `electronBinary()` says which, or why there is none, so the tests can skip with
 * that reason printed.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { type ElectronApplication, _electron as electron, type Page } from 'playwright-core';
import { makeTempDir, removeTempDir } from '../../support/temp-store.js';

const require = createRequire(import.meta.url);
const repo = path.resolve(import.meta.dirname, '..', '..', '..');

/** The Electron executable to run, or the reason there is none on this machine. */
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
  return fs.existsSync(executable)
    ? { path: executable }
    : { missing: `no Electron binary at ${executable}` };
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

  /** Exports the open case where the app suggests; resolves with the bundle's path. */
  async exportCase(): Promise<string> {
    await this.window.keyboard.press('Alt+4');
    await this.window.getByRole('heading', { name: 'Export a sealed bundle' }).waitFor();
    const destination = this.window.getByLabel('Save the bundle as');
    await this.window.getByRole('button', { name: 'Export bundle' }).click();
    await this.window.getByTestId('bundle-hash').waitFor({ timeout: 120_000 });
    return destination.inputValue();
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
