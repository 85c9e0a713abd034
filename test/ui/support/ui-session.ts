/**
 * One UI test session: the renderer built once per test file, the browser harness on a fresh
 * temporary store, and system Chromium driven by playwright-core. Typed helpers wait for what a
 * person would see.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import type { StoreUpgradeProbe } from '../../../electron/core/api/services/store-access.js';
import {
  findChromium,
  OFFLINE_CHROMIUM_SWITCHES,
} from '../../../electron/core/capture/browser/browser-discovery.js';
import { deriveMissing } from '../../../electron/core/derive/derive-items.js';
import { EvidenceStore } from '../../../electron/core/store/evidence-store.js';
import { buildReplayEngine } from '../../../scripts/replay-engine.js';
import { buildRenderer } from '../../../tools/harness/build-renderer.js';
import { type Harness, startHarness } from '../../../tools/harness/harness-server.js';
import { REPO_ROOT } from '../../support/run-custos.js';

/** Where screenshots of every screen are saved, to be looked at by a person. */
export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'test-results', 'ui');

let built: Promise<string> | null = null;

/** Builds the renderer once per process into a temporary folder. */
export function builtRenderer(): Promise<string> {
  built ??= buildRenderer(fs.mkdtempSync(path.join(os.tmpdir(), 'custos-ui-renderer-')));
  return built;
}

let replayEngine: Promise<string> | null = null;

/** Lays out the replay engine once per process into a temporary folder, as `npm run build` does into out/replay. */
export function builtReplayEngine(): Promise<string> {
  replayEngine ??= buildReplayEngine(fs.mkdtempSync(path.join(os.tmpdir(), 'custos-ui-replay-')));
  return replayEngine;
}

/** Launches system Chromium on a fresh profile folder (playwright passes it as --user-data-dir). */
export async function launchChromium(profileDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profileDir, {
    executablePath: findChromium(),
    headless: true,
    args: [...OFFLINE_CHROMIUM_SWITCHES],
    viewport: { width: 1440, height: 900 },
    deviceScaleFactor: 1,
  });
}

let chromiumOfFile: Promise<Browser> | null = null;

/**
 * System Chromium, launched once per process (one test file): a launch per session was seconds a
 * test on a loaded machine. Each session opens a context of its own in it (its own cookies,
 * storage, permissions and cache, as a fresh profile had), so the tests stay independent.
 * Playwright ends the browser when the test file's process exits.
 */
async function chromiumForFile(): Promise<Browser> {
  const running = await chromiumOfFile;
  if (running?.isConnected()) return running;
  chromiumOfFile = chromium.launch({
    executablePath: findChromium(),
    headless: true,
    args: [...OFFLINE_CHROMIUM_SWITCHES],
  });
  return chromiumOfFile;
}

/** A fresh browser context (as a fresh profile) in the file's Chromium, with a 1440×900 window. */
async function openBrowserContext(): Promise<BrowserContext> {
  return (await chromiumForFile()).newContext({
    viewport: { width: 1440, height: 900 },
    deviceScaleFactor: 1,
  });
}

/** A running harness with a browser page on it. */
export class UiSession {
  private constructor(
    readonly work: string,
    readonly harness: Harness,
    readonly browser: BrowserContext,
    readonly page: Page,
    readonly storeDir: string,
    readonly exportDir: string,
  ) {}

  /**
   * Starts a harness on a new temporary store (or on `storeDir`, a store the test made) and opens
   * the app in a 1440×900 window; `storeUpgradeProbe` follows the upgrade of an older store.
   */
  static async start(
    options: {
      readonly theme?: 'light' | 'dark';
      readonly storeDir?: string;
      readonly storeUpgradeProbe?: StoreUpgradeProbe;
      /** Run on the page before it opens the app: routes, init scripts. */
      readonly beforeOpen?: (page: Page) => Promise<void>;
    } = {},
  ): Promise<UiSession> {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-ui-'));
    const storeDir = options.storeDir ?? path.join(work, 'store');
    const exportDir = path.join(work, 'exports');
    const harness = await startHarness({
      rendererDir: await builtRenderer(),
      storeDir,
      exportDir,
      uploadDir: path.join(work, 'uploads'),
      replayEngineDir: await builtReplayEngine(),
      storeUpgradeProbe: options.storeUpgradeProbe,
    });
    const browser = await openBrowserContext();
    const page = await browser.newPage();
    page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
    if (options.theme) {
      await page.addInitScript((theme) => {
        const storage = (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } })
          .localStorage;
        storage.setItem('custos.theme', theme);
      }, options.theme);
    }
    await options.beforeOpen?.(page);
    await page.goto(harness.url);
    return new UiSession(work, harness, browser, page, storeDir, exportDir);
  }

  /** Saves a screenshot of the whole window under test-results/ui/. */
  async screenshot(name: string): Promise<string> {
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const file = path.join(SCREENSHOT_DIR, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** Saves a screenshot of one part of the window (a dialog's head), to be looked at closely. */
  async screenshotOf(part: Locator, name: string): Promise<string> {
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const file = path.join(SCREENSHOT_DIR, `${name}.png`);
    await part.screenshot({ path: file });
    return file;
  }

  /** Writes a file in the session's folder (outside the store), for import or verify. */
  writeFile(name: string, content: string | Uint8Array): string {
    const file = path.join(this.work, 'files', name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    return file;
  }

  /**
   * Puts evidence in through the services (as the `custos` command would), with this
   * investigator, indexes it as the app's writes do, and reloads the app to show it.
   */
  async seedStore(
    investigator: { readonly name: string; readonly agency: string | null },
    fill: (store: EvidenceStore) => Promise<void>,
  ): Promise<void> {
    const store = EvidenceStore.openForWriting(this.storeDir, { create: true });
    try {
      store.init({ ...investigator, badge: null });
      await fill(store);
      await deriveMissing(store);
    } finally {
      store.close();
    }
    await this.page.reload();
  }

  /** A recipient's store (no case) with the Verify & receive screen open, as a prosecutor starts. */
  async openVerifyAsRecipient(): Promise<void> {
    await this.seedStore({ name: 'Lea Martin', agency: 'Prosecutor’s office' }, async () => undefined);
    // A click waits for the reloaded app's sidebar; a shortcut pressed before it loaded is lost.
    await this.page.getByRole('button', { name: /^Verify & receive/ }).click();
    await this.page.getByRole('heading', { name: 'Verify & receive' }).waitFor();
  }

  /**
   * Imports files through the window's API (`importFiles`, as a dropped file's path takes), then
   * reloads the window to show them and opens the case; answers how many items were made.
   */
  async importThroughWindow(caseRef: string, caseNumber: string, paths: readonly string[]): Promise<number> {
    const imported = await this.page.evaluate(
      (input) =>
        (
          globalThis as unknown as {
            custos: { importFiles(input: unknown): Promise<{ ok: boolean; value?: { items: unknown[] } }> };
          }
        ).custos.importFiles(input),
      { caseRef, paths },
    );
    await this.page.reload();
    await this.page.getByRole('button', { name: new RegExp(caseNumber) }).click();
    return imported.ok ? (imported.value?.items.length ?? 0) : 0;
  }

  /** Closes the session's browser context, stops the harness and removes every temporary file. */
  async close(): Promise<void> {
    await this.browser.close().catch(() => undefined);
    await this.harness.close();
    fs.rmSync(this.work, { recursive: true, force: true });
  }
}
