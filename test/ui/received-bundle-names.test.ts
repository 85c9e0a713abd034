/**
 * A received bundle's names are text from outside: a forger who renames a timestamp token's file
 * to `seat‮gnp.exe` plus tag characters must not have the Verify screen draw it as `seatexe.png`.
 * The table of tokens (the row's tooltip, the file's name) and the findings that name the file
 * show U+202E and the tag characters as code points. A bundle stamped by a real local RFC 3161
 * authority (OpenSSL behind HTTP on 127.0.0.1), its token file renamed in the archive and in
 * timestamps/index.json; real Chromium through the harness to the real core.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CaseFixture, stampedCaseBundle, tamper } from '../core/bundle/bundle-fixtures.js';
import { localTsaForTests } from '../support/local-tsa.js';
import { tagCharacters } from '../support/tag-characters.js';
import { UiSession } from './support/ui-session.js';

const HOSTILE = `timestamps/seat\u202Egnp.exe${tagCharacters('hi')}.tsr`;
const SHOWN = 'timestamps/seat⟨U+202E⟩gnp.exe⟨U+E0068⟩⟨U+E0069⟩.tsr';

const localTsa = localTsaForTests();
let fixture: CaseFixture;
let renamed = '';
let ui: UiSession;

beforeAll(async () => {
  let bundle: { file: string };
  ({ fixture, bundle } = await stampedCaseBundle(localTsa()));
  renamed = await tamper(bundle.file, `${bundle.file}.renamed.zip`, (files) => {
    const index = JSON.parse(files.get('timestamps/index.json')!.toString('utf8')) as { file: string }[];
    const first = index[0]!;
    const token = files.get(first.file)!;
    files.delete(first.file);
    files.set(HOSTILE, token);
    first.file = HOSTILE;
    files.set('timestamps/index.json', Buffer.from(JSON.stringify(index)));
  });
  ui = await UiSession.start();
  await ui.openVerifyAsRecipient();
}, 180_000);

afterAll(async () => {
  await ui?.close();
  fixture?.temp.remove();
});

describe('a received bundle whose token file name holds an override and tag characters', () => {
  it('the Verify screen shows the name with its code points in the findings and the tokens’ table', async () => {
    const page = ui.page;
    await page.getByLabel('Choose a bundle or WACZ…').setInputFiles(renamed);
    await page.getByTestId('verdict').waitFor({ timeout: 60_000 });
    const body = await page.locator('main').innerText();
    expect(body).toContain(SHOWN);
    expect(body).not.toContain('\u202E');
    const row = page.getByTestId('timestamps').locator(`tr[title="${SHOWN}"]`);
    expect(await row.count()).toBe(1);
    await ui.screenshot('received-bundle-names');
  }, 90_000);
});
