/**
 * What the window is told to do: a message the core builds that names a CLI command on the command
 * line (`custos audit`, `custos watch list`, `custos restore …`) names, through the app's API, the
 * window's own screen for it (Audit store, the Watches screen, the Cases list), or says in plain
 * words whom to ask where the window has no way (a restore): its user may have no terminal. The
 * CLI's own words are checked to stay as they were.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiService } from '../../../electron/core/api/api-service.js';
import { WINDOW_AGAIN } from '../../../electron/core/errors.js';
import { addRemote } from '../../../electron/core/remote/remote-config.js';
import { storeLayout } from '../../../electron/core/store/store-layout.js';
import { stampNewItem } from '../../../electron/core/timestamp/stamp-queue.js';
import type { ApiResult, ItemDetailView } from '../../../shared/api.js';
import type { AuditReport } from '../../../shared/domain.js';
import { apiForStore } from '../../support/api-for-store.js';
import { localTsaForTests, trustAndAskLocalTsa } from '../../support/local-tsa.js';
import { awsEnvironment, withoutAwsCredentials } from '../../support/no-aws-credentials.js';
import { writeRawZip } from '../../support/raw-zip.js';
import { runCustos } from '../../support/run-custos.js';
import { seedStore } from '../../support/seed-store.js';
import { corruptTablePage } from '../../support/sqlite.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';

const localTsa = localTsaForTests();

/** The message of a refused call (fails the test when the call succeeded). */
function refusal(result: ApiResult<unknown>): string {
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.value)}`);
  return result.error.message;
}

/** Any CLI command a message could name, in the CLI's backquotes or not. */
const ANY_COMMAND =
  /custos (audit|restore|watch|remote|case|items|selector|persona|verify|timestamp|search)\b/;
/** Any command or option of the CLI a message could name (the restore a marker says was interrupted aside). */
const ANY_CLI_WORDS = /custos (?!restore\b)[a-z]|--[a-z]/;

describe("the app's API says where in the window to do what the CLI does with a command", () => {
  let temp: TempStore | undefined;
  let api: ApiService | undefined;
  afterEach(() => {
    api?.close();
    api = undefined;
    temp?.remove();
    temp = undefined;
  });

  it('no step the window is told names a CLI command or option (a window user may have no terminal)', () => {
    const naming = Object.entries(WINDOW_AGAIN).filter(([, words]) => ANY_CLI_WORDS.test(String(words)));
    expect(naming).toEqual([]);
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

  it('a .wacz that is no WACZ (a Custos bundle renamed) says to verify the bundle under its .zip name on the Verify & receive screen; the CLI names its command', async () => {
    temp = makeTempStore();
    const file = path.join(temp.base, 'case.wacz');
    writeRawZip(file, [{ raw: 'manifest.json', data: Buffer.from('{}') }]);
    api = apiForStore(temp);
    const message = refusal(await api.call('verifyWacz', { path: file }));
    expect(message).toBe(
      `${file} is not a WACZ: the ZIP holds no datapackage.json (a WACZ's manifest) and no archive/ folder; check the file (a Custos bundle is checked under its .zip name on the Verify & receive screen)`,
    );
    expect(message).not.toMatch(ANY_CLI_WORDS);
    const cli = await runCustos(['verify', file], { store: temp.dir });
    expect(cli.status).toBe(2);
    expect(cli.stderr).toContain('(a Custos bundle is checked with custos verify FILE.zip)');
  }, 60_000);

  it('a push with no S3 credentials says whom to ask for them, naming no option; the CLI names its variables and --profile', async () => {
    const restoreEnvironment = withoutAwsCredentials();
    try {
      temp = makeTempStore({ caseNumber: 'NX-7' });
      await seedStore(temp, { files: 1 });
      const store = temp.open();
      try {
        addRemote(store, { name: 'agency', url: 's3://evidence/team-a', endpoint: 'http://127.0.0.1:9' });
      } finally {
        store.close();
      }
      api = apiForStore(temp);
      const message = refusal(await api.call('pushCase', { caseRef: 'NX-7', remote: 'agency' }));
      expect(message).toBe(
        "no credentials for remote agency (s3://evidence/team-a/): they are never entered in this window: ask whoever set up this workstation's remotes to give Custos credentials for it (the AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY variables, or an AWS profile), then restart Custos",
      );
      expect(message).not.toMatch(ANY_CLI_WORDS);
      const cli = await runCustos(['push', '--case', 'NX-7', '--remote', 'agency'], {
        store: temp.dir,
        env: awsEnvironment(),
      });
      expect(cli.status).toBe(2);
      expect(cli.stderr).toContain(
        'set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, or add the remote with --profile',
      );
    } finally {
      restoreEnvironment();
    }
  }, 90_000);

  it("a stamp refused because the authority's root is not trusted reaches the item screen saying whom to ask, or to choose another authority in Settings; the stored reason keeps the CLI's words", async () => {
    temp = makeTempStore({ caseNumber: 'NX-8' });
    const { items } = await seedStore(temp, { files: 1 });
    const itemId = items[0]!.id;
    const store = temp.open();
    try {
      trustAndAskLocalTsa(store, localTsa());
      await localTsa().setMode('untrusted');
      expect((await stampNewItem(store, itemId)).status).toBe('pending');
    } finally {
      await localTsa().setMode('ok');
      store.close();
    }
    api = apiForStore(temp);
    const item = await api.call('getItem', { itemId });
    if (!item.ok) throw new Error(item.error.message);
    const lastError = (item.value as ItemDetailView).timestamps[0]?.lastError ?? '';
    expect(lastError).toContain('does not chain to a trusted root');
    expect(lastError).toContain(
      "; if you trust this authority, ask whoever looks after this workstation's Custos to add its root certificate to this store (this window cannot), or choose another authority under Trusted timestamps in Settings",
    );
    expect(lastError).not.toMatch(ANY_CLI_WORDS);
    const pending = await runCustos(['timestamp', '--show'], { store: temp.dir });
    expect(pending.stdout).toContain('(custos timestamp --add-root FILE.pem)');
  }, 90_000);

  it('a restore marker the window cannot act on refuses its first read and shows in its audit pointing to Audit store; the CLI names `custos audit`', async () => {
    temp = makeTempStore({ caseNumber: 'NX-10' });
    fs.writeFileSync(storeLayout(temp.dir).restorePending, 'not json');
    api = apiForStore(temp);
    const message = refusal(await api.call('listCases', {}));
    expect(message).toContain('cannot be read (not JSON: Unexpected token');
    expect(message).toContain(
      'Keep this folder as it is for examination: the audit (Audit store) checks the database in place against store.json',
    );
    expect(message).not.toMatch(ANY_CLI_WORDS);
    const audit = await api.call('auditStore', {});
    if (!audit.ok) throw new Error(audit.error.message);
    const problem =
      (audit.value as AuditReport).problems.find((p) => p.subject === 'restore-pending.json')?.problem ?? '';
    expect(problem).toContain('the audit (Audit store) checks the database in place');
    const cli = await runCustos(['case', 'list'], { store: temp.dir });
    const written = await runCustos(['case', 'create', '--number', 'NX-11', '--title', 'x'], {
      store: temp.dir,
    });
    expect(`${cli.stderr}${written.stderr}`).toContain(
      '`custos audit` checks the database in place against store.json',
    );
  }, 60_000);

  it('a search with no text says to type it in the search box, and a capture as a persona that is gone says where to make it', async () => {
    temp = makeTempStore({ caseNumber: 'NX-12' });
    api = apiForStore(temp);
    expect(refusal(await api.call('searchItems', { query: '  ' }))).toBe(
      'type the text to search for in the search box, for example boat trip',
    );
    const captured = JSON.stringify(
      await api.call('captureUrls', { caseRef: 'NX-12', urls: ['https://example.org/'], persona: 'gone' }),
    );
    expect(captured).toContain(
      'there is no persona named gone; make it under Personas in Settings (Settings lists the personas), then choose it in the capture bar, open the Live browser and log in there',
    );
    expect(captured).not.toMatch(ANY_CLI_WORDS);
  }, 60_000);
});
