/**
 * Opening the app on a store an older Custos wrote, in real Chromium through the loopback harness
 * to the real services: the window says that the store is being updated, that the evidence is
 * safe and to keep Custos open, and shows the cases once the upgrade is done. The screenshot is
 * saved under test-results/ui/ to be looked at.
 */
import type Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../electron/core/store/migrations/index.js';
import { makeOlderStore, schemaVersionOf } from '../support/older-store.js';
import { openRawDatabase } from '../support/sqlite.js';
import type { TempStore } from '../support/temp-store.js';
import { UiSession } from './support/ui-session.js';

let temp: TempStore;
let ui: UiSession | undefined;
let holder: Database.Database | undefined;

beforeAll(async () => {
  temp = await makeOlderStore('OLD-7');
}, 120_000);

afterAll(async () => {
  holder?.close();
  await ui?.close();
  temp?.remove();
});

describe('the app on a store an older Custos wrote', () => {
  it('says the store is being updated, to keep Custos open and that the evidence is safe, then shows the cases', async () => {
    // A small store upgrades in milliseconds: another connection's open write transaction holds
    // the migration back (it waits up to SQLite's busy timeout, 10 s, on its worker thread) so the
    // notice can be seen; it is what a large store shows for the whole of its migration.
    holder = openRawDatabase(temp.dir);
    holder.exec('BEGIN IMMEDIATE');
    ui = await UiSession.start({ storeDir: temp.dir });
    const page = ui.page;
    const notice = page.getByRole('status').filter({ hasText: 'Updating the evidence store' });
    await notice.waitFor();
    expect(await notice.textContent()).toContain('Keep Custos open');
    expect(await notice.textContent()).toContain('the store stays exactly as it was');
    expect(await notice.textContent()).toContain(`Store format 16 → ${SCHEMA_VERSION}`);
    await ui.screenshot('store-upgrade-notice');
    expect(await page.getByText('OLD-7').count()).toBe(0);

    holder.exec('ROLLBACK');
    holder.close();
    holder = undefined;
    await page.getByText('OLD-7').first().waitFor();
    expect(await notice.count()).toBe(0);
    expect(schemaVersionOf(temp.dir)).toBe(SCHEMA_VERSION);
    await ui.screenshot('store-upgrade-done');
  }, 120_000);
});
