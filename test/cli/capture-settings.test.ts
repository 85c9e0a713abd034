/**
 * The store's capture defaults (Settings) rule the CLI's captures too: with the mobile preset, a
 * page is captured in a phone-sized window with a phone's user agent, and its record says so; each
 * change of the defaults is a custody entry naming what changed. Real Chromium, a real HTTP server
 * on 127.0.0.1.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCaptureSettings, saveCaptureSettings } from '../../electron/core/capture/capture-settings.js';
import type { WebCaptureRecord } from '../../electron/core/capture/engine/capture-record.js';
import { DEFAULT_CAPTURE_SETTINGS, withPreset } from '../../shared/capture-settings.js';
import { fixtureServerForTests } from '../support/fixture-server.js';
import { runCustosJson } from '../support/run-custos.js';
import { tempStoreForTests } from '../support/temp-store.js';
import { blobFile, type ItemsJson } from './cli-fixtures.js';

const CASE = 'BE-2026-0142';
const server = fixtureServerForTests();
const temp = tempStoreForTests({ caseNumber: CASE });

describe('capture defaults of the store', () => {
  it('each change is one custody entry naming what changed; bad values are refused and nothing is written', () => {
    const store = temp().open();
    try {
      const before = store.ledger().length;
      expect(() =>
        saveCaptureSettings(store, { ...DEFAULT_CAPTURE_SETTINGS, navigationTimeoutSeconds: 1 }),
      ).toThrow(/at least 5 seconds/);
      expect(store.ledger()).toHaveLength(before);
      saveCaptureSettings(store, {
        ...withPreset(DEFAULT_CAPTURE_SETTINGS, 'mobile'),
        loadTimeoutSeconds: 25,
      });
      const entry = store.ledger().at(-1);
      expect(entry).toMatchObject({ action: 'settings.capture', subject: 'settings' });
      expect(entry?.details.changes).toEqual({
        preset: { from: 'desktop', to: 'mobile' },
        viewport: { from: '1280×800', to: '390×844' },
        mobile: { from: false, to: true },
        loadTimeoutSeconds: { from: 20, to: 25 },
      });
      // Saving the same values again records nothing.
      saveCaptureSettings(store, readCaptureSettings(store.db));
      expect(store.ledger()).toHaveLength(before + 1);
    } finally {
      store.close();
    }
  });

  it('`custos capture` uses them: a phone-sized window, a phone user agent, and the record says so', async () => {
    const result = await runCustosJson<ItemsJson>(['capture', server().url('/post.html'), '--case', CASE], {
      store: temp().dir,
      timeoutMs: 200_000,
    });
    expect(result.status, result.stderr).toBe(0);
    const item = result.json.items[0]!;
    const metadata = item.artifacts.find((a) => a.role === 'metadata')!;
    const record = JSON.parse(
      fs.readFileSync(blobFile(temp().dir, metadata.sha256), 'utf8'),
    ) as WebCaptureRecord;
    expect(record.browser.viewport).toEqual({ width: 390, height: 844 });
    expect(record.browser.mobile).toBe(true);
    expect(record.browser.userAgent).toMatch(/Android .* Mobile Safari/);
    expect(record.capture.timeouts).toEqual({ navigationMs: 30_000, loadMs: 25_000 });
    expect(record.screenshot.viewportWidth).toBe(390);
  }, 240_000);
});
