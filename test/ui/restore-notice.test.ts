/**
 * A `custos restore` killed once its marker was written, then the app opened on the store, in real
 * Chromium through the loopback harness to the real services: the window's first read settles the
 * restore, undoing it, and the window shows the command's words as a warning that stays on every
 * screen until the user dismisses it (the API hands it to the window once).
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { API_PREFIX } from '../../tools/harness/protocol.js';
import { storeWithOlderBackup } from '../cli/restore-fixtures.js';
import { REPO_ROOT, runCustos } from '../support/run-custos.js';
import type { TempStore } from '../support/temp-store.js';
import { UiSession } from './support/ui-session.js';

const KILL_PRELOAD = path.join(REPO_ROOT, 'test', 'support', 'kill-restore-at.mjs');

let ui: UiSession | undefined;
let temp: TempStore | undefined;

afterEach(async () => {
  await ui?.close();
  ui = undefined;
  temp?.remove();
  temp = undefined;
});

describe('a restore killed before it was recorded, settled when the window opens the store', {
  timeout: 180_000,
}, () => {
  // Its own session (the renderer built, a restore killed, the window opened) is inside the test:
  // 120 s, as the other tests that open theirs (it took 18 s at load 13-16, a third of the default 60 s).
  it('the window, once opened on the store, shows as a warning that the interrupted restore was undone, in the words the command prints, on every screen until the user dismisses it, and not again after', async () => {
    const made = await storeWithOlderBackup();
    temp = made.temp;
    const killed = await runCustos(['restore', '--from', made.backupDir, '--accept-loss'], {
      store: temp.dir,
      env: {
        CUSTOS_TEST_KILL_RESTORE_AT: 'marked',
        NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${KILL_PRELOAD}`.trim(),
      },
    });
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    ui = await UiSession.start({ storeDir: temp.dir });
    const page = ui.page;
    // No write needed: the window's first read settles the marker (StoreAccess.read).
    const warning = page
      .getByRole('alert')
      .filter({ hasText: 'An interrupted restore was settled when the store was opened for writing' });
    await warning.waitFor({ timeout: 30_000 });
    expect(await warning.textContent()).toContain(
      'a `custos restore` was killed before it put the backup in place; it was undone, and the database in place is the one that was there',
    );

    // Another screen, as an investigator moves on before reading it: the warning is still there.
    const toScreen = async (name: string) => {
      // Each screen change asks the API for new notices: its answer is in before the next step.
      const asked = page.waitForResponse((r) => r.url().endsWith(`${API_PREFIX}takeStoreNotices`));
      await page
        .getByRole('navigation')
        .getByRole('button', { name: new RegExp(`^${name}`) })
        .click();
      await page.getByRole('heading', { level: 1, name, exact: true }).waitFor();
      await asked;
    };
    await toScreen('Search all cases');
    await toScreen('Settings');
    expect(await warning.count()).toBe(1);
    await ui.screenshot('restore-notice-kept-on-another-screen');

    // Only the user takes it off, with its Dismiss button, and it does not come back.
    await warning.getByRole('button', { name: 'Dismiss' }).click();
    await warning.waitFor({ state: 'detached' });
    await toScreen('Cases');
    await toScreen('Search all cases');
    expect(await warning.count()).toBe(0);
  }, 120_000);
});
