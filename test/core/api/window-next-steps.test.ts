/**
 * What the window is told to do: a message the core builds that names a CLI command on the command
 * line (`custos audit`, `custos watch list`, `custos restore …`) names, through the app's API, the
 * window's own screen for it (Audit store, the Watches screen, the Cases list), or says in plain
 * words whom to ask where the window has no way (a restore): its user may have no terminal. The
 * CLI's own words are checked to stay as they were.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiService } from '../../../electron/core/api/api-service.js';
import type { ApiResult } from '../../../shared/api.js';
import { apiForStore } from '../../support/api-for-store.js';
import { runCustos } from '../../support/run-custos.js';
import { seedStore } from '../../support/seed-store.js';
import { corruptTablePage } from '../../support/sqlite.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';

/** The message of a refused call (fails the test when the call succeeded). */
function refusal(result: ApiResult<unknown>): string {
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.value)}`);
  return result.error.message;
}

/** Any CLI command a message could name, in the CLI's backquotes or not. */
const ANY_COMMAND = /custos (audit|restore|watch|remote|case|items|selector|persona)\b/;

describe("the app's API says where in the window to do what the CLI does with a command", () => {
  let temp: TempStore | undefined;
  let api: ApiService | undefined;
  afterEach(() => {
    api?.close();
    api = undefined;
    temp?.remove();
    temp = undefined;
  });

  it('a case number that exists points to the Cases list', async () => {
    temp = makeTempStore({ caseNumber: 'NX-1' });
    api = apiForStore(temp);
    const message = refusal(await api.call('createCase', { number: 'NX-1', title: 'again' }));
    expect(message).toBe('a case numbered NX-1 already exists; the Cases list shows cases');
  });

  it('a URL watched already points to the Watches screen, a selector added twice to the Selectors screen', async () => {
    temp = makeTempStore({ caseNumber: 'NX-2' });
    api = apiForStore(temp);
    const watch = { caseRef: 'NX-2', url: 'https://example.org/ad' };
    expect((await api.call('addWatch', watch)).ok).toBe(true);
    expect(refusal(await api.call('addWatch', watch))).toBe(
      'case NX-2 already watches https://example.org/ad; the Watches screen shows its history',
    );
    const selector = { value: '+218912345678' };
    expect((await api.call('addSelector', selector)).ok).toBe(true);
    expect(refusal(await api.call('addSelector', selector))).toMatch(
      /^\+218912345678 is already a selector \(.+\); the Selectors screen shows them$/,
    );
  });

  it('a watch removed meanwhile (a card out of date) points to the Watches screen, without promising ids its cards do not show', async () => {
    temp = makeTempStore({ caseNumber: 'NX-9' });
    api = apiForStore(temp);
    expect(refusal(await api.call('removeWatch', { watchId: 'no-such-watch' }))).toBe(
      'no watch no-such-watch; the Watches screen shows the watches',
    );
  });

  it('an address with a password in it says to log in with a persona in the Live browser', async () => {
    temp = makeTempStore({ caseNumber: 'NX-3' });
    api = apiForStore(temp);
    const result = await api.call('captureUrls', {
      caseRef: 'NX-3',
      urls: ['https://me:secret@example.org/'],
    });
    const said = JSON.stringify(result);
    expect(said).toContain(
      'log in with a persona (choose it in the capture bar, open the Live browser and log in there) instead of putting credentials in the URL',
    );
    expect(said).not.toMatch(ANY_COMMAND);
  });

  it('a WACZ of an imported file says to choose the sealed bundle format on the Export screen', async () => {
    temp = makeTempStore({ caseNumber: 'NX-6' });
    const { items } = await seedStore(temp, { files: 1 });
    api = apiForStore(temp);
    const result = await api.call('exportWacz', {
      caseRef: 'NX-6',
      out: 'nx-6.wacz',
      itemIds: [items[0]!.id],
    });
    expect(refusal(result)).toBe(
      `item ${items[0]!.id} is not a page capture with a WARC; a WACZ holds web captures only (export it in a sealed bundle: choose Sealed bundle (.zip) as the format on the Export screen)`,
    );
  });

  it('a bundle sealed with age, which the window cannot open, says whom to ask, not which options to pass', async () => {
    temp = makeTempStore();
    // Only the age header is read before the refusal: a file that starts with it is enough.
    const sealed = temp.writeFile('sealed.zip.age', 'age-encryption.org/v1\n-> scrypt salt 18\n');
    api = apiForStore(temp);
    const message = refusal(await api.call('verifyBundle', { path: sealed }));
    expect(message).toBe(
      `${sealed} is sealed with age; this window cannot open it: ask whoever holds its key or passphrase to decrypt it (or the sender for the unsealed .zip), then verify the .zip here`,
    );
    expect(message).not.toMatch(/--identity|--passphrase-file/);
  });

  it('a damaged database refuses a write pointing to Audit store and to whoever keeps the backups; the CLI names its commands', async () => {
    temp = makeTempStore({ caseNumber: 'NX-4' });
    await seedStore(temp, { files: 40 }); // enough rows for the items table to span pages
    corruptTablePage(temp.dir, 'items');
    api = apiForStore(temp);
    const message = refusal(
      await api.call('createCase', { number: 'NX-5', title: 'not on a damaged store' }),
    );
    expect(message).toMatch(/damaged, so nothing was written: .*\bitems\b/);
    expect(message).toContain(
      "Open Audit store and run the audit to see which tables are affected, and ask whoever keeps this store's backups to restore the database from one",
    );
    expect(message).not.toMatch(ANY_COMMAND);

    const cli = await runCustos(['case', 'create', '--number', 'NX-5', '--title', 'not on a damaged store'], {
      store: temp.dir,
    });
    expect(cli.status).toBe(1);
    expect(cli.stderr).toContain(
      'Run `custos audit` to see which tables are affected, and restore the database from a backup with `custos restore --from BACKUP`',
    );
  }, 60_000);
});
