/**
 * Opening the app on a store an older Custos wrote, in real Chromium through the loopback harness
 * to the real services: the window says that the store is being updated, that the evidence is
 * safe and to keep Custos open, and shows the cases once the upgrade is done; an upgrade that fails
 * says why, that nothing was changed, and tries again on the user's word; one that waits for
 * another Custos process says whom it waits for. The screenshots are
 * saved under test-results/ui/ to be looked at.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../electron/core/store/migrations/index.js';
import { storeLayout } from '../../electron/core/store/store-layout.js';
import { WriterLock } from '../../electron/core/store/writer-lock.js';
import { makeOlderStore, schemaVersionOf } from '../support/older-store.js';
import { openRawDatabase } from '../support/sqlite.js';
import type { TempStore } from '../support/temp-store.js';
import { UiSession } from './support/ui-session.js';

let temp: TempStore;
let ui: UiSession | undefined;

beforeAll(async () => {
  temp = await makeOlderStore('OLD-7');
}, 120_000);

afterAll(async () => {
  await ui?.close();
  temp?.remove();
});

describe('the app on a store an older Custos wrote', () => {
  it('says the store is being updated, to keep Custos open and that the evidence is safe, then shows the cases', async () => {
    // A small store upgrades in milliseconds: the service's test-only gate holds the migration back
    // (after the versions are answered, before the migration starts) until the notice has been seen
    // and photographed; it is what a large store shows for the whole of its migration. Another
    // connection's open transaction would hold it only for SQLite's busy timeout, 10 s, which a
    // loaded machine can use up before the window has come up.
    let letMigrate: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      letMigrate = resolve;
    });
    ui = await UiSession.start({ storeDir: temp.dir, storeUpgradeProbe: { beforeMigration: () => gate } });
    const page = ui.page;
    const notice = page.getByRole('status').filter({ hasText: 'Updating the evidence store' });
    try {
      await notice.waitFor();
      expect(await notice.textContent()).toContain('Keep Custos open');
      expect(await notice.textContent()).toContain('the store stays exactly as it was');
      expect(await notice.textContent()).toContain(`Store format 16 → ${SCHEMA_VERSION}`);
      await ui.screenshot('store-upgrade-notice');
      expect(await page.getByText('OLD-7').count()).toBe(0);
      expect(schemaVersionOf(temp.dir)).toBe(16);
    } finally {
      letMigrate(); // also when an assertion failed, so that the upgrade ends and lets the store go
    }
    await page.getByText('OLD-7').first().waitFor();
    expect(await notice.count()).toBe(0);
    expect(schemaVersionOf(temp.dir)).toBe(SCHEMA_VERSION);
    await ui.screenshot('store-upgrade-done');
  }, 120_000);

  it('says that a failed update changed nothing and why, and Try again upgrades it and shows the cases', async () => {
    await ui?.close();
    ui = undefined;
    const failing = await makeOlderStore('OLD-8');
    try {
      // A table in the way of migration 017's CREATE TABLE makes its one transaction fail and roll back.
      const db = openRawDatabase(failing.dir);
      db.exec('CREATE TABLE search_impact_terms (in_the_way INTEGER)');
      db.close();
      ui = await UiSession.start({ storeDir: failing.dir });
      const page = ui.page;
      const failed = page.getByRole('alert').filter({ hasText: 'The evidence store could not be updated' });
      await failed.waitFor();
      expect(await failed.textContent()).toContain(
        'The update did not finish: unexpected error: table search_impact_terms already exists. Nothing in the store was changed.',
      );
      expect(await failed.textContent()).toContain(`Store format 16 → ${SCHEMA_VERSION}`);
      await ui.screenshot('store-upgrade-failed');
      expect(schemaVersionOf(failing.dir)).toBe(16);

      const fix = openRawDatabase(failing.dir);
      fix.exec('DROP TABLE search_impact_terms');
      fix.close();
      await page.getByRole('button', { name: 'Try again' }).click();
      await page.getByText('OLD-8').first().waitFor();
      expect(await failed.count()).toBe(0);
      expect(schemaVersionOf(failing.dir)).toBe(SCHEMA_VERSION);
    } finally {
      await ui?.close();
      ui = undefined;
      failing.remove();
    }
  }, 120_000);

  it('says whom it waits for while another Custos process holds the store, then upgrades and shows the cases', async () => {
    await ui?.close();
    ui = undefined;
    const held = await makeOlderStore('OLD-6');
    // The holder is a connection of the test's own process: SQLite's exclusive lock refuses the
    // service's just as another process's would.
    const layout = storeLayout(held.dir);
    const holder = WriterLock.acquireNow(layout.writerLock, layout.writerLockInfo);
    try {
      ui = await UiSession.start({ storeDir: held.dir });
      const page = ui.page;
      const notice = page.getByRole('status').filter({ hasText: 'Updating the evidence store' });
      const waiting = notice.filter({
        hasText: `Waiting for another Custos process to finish (pid ${process.pid} on `,
      });
      await waiting.waitFor();
      expect(await notice.textContent()).toContain('the update starts as soon as it has');
      await ui.screenshot('store-upgrade-waiting');
      expect(schemaVersionOf(held.dir)).toBe(16);

      holder.release();
      await page.getByText('OLD-6').first().waitFor();
      expect(await notice.count()).toBe(0);
      expect(schemaVersionOf(held.dir)).toBe(SCHEMA_VERSION);
    } finally {
      holder.release();
      await ui?.close();
      ui = undefined;
      held.remove();
    }
  }, 120_000);
});
