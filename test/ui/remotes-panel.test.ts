/**
 * The Remotes panel of the Export screen through the browser harness (real Chromium, real store):
 * the remotes added through core are listed, and Push with no AWS credentials says which variables to
 * set and records nothing. The harness runs the API in this process, so the AWS variables of this
 * process are the ones the app sees. Screenshots under test-results/ui/.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../electron/core/import/import-file.js';
import { addRemote } from '../../electron/core/remote/remote-config.js';
import { EvidenceStore } from '../../electron/core/store/evidence-store.js';
import { UiSession } from './support/ui-session.js';

const CASE = 'BE-2026-0142';
const AWS_VARIABLES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_EC2_METADATA_DISABLED',
] as const;
const savedEnv = Object.fromEntries(AWS_VARIABLES.map((name) => [name, process.env[name]]));

let ui: UiSession;
let page: Page;

beforeAll(async () => {
  // No credentials anywhere: no variables, no profile files, no instance metadata.
  for (const name of AWS_VARIABLES) delete process.env[name];
  ui = await UiSession.start();
  page = ui.page;
  process.env.AWS_CONFIG_FILE = path.join(ui.work, 'no-aws-config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(ui.work, 'no-aws-credentials');
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  await ui.seedStore({ name: 'Ana Ruiz', agency: 'Border Police' }, async (store) => {
    const id = store.createCase({ number: CASE, title: 'Boat crossings advertised on Facebook' }).id;
    await importFile(store, id, ui.writeFile('boat-post.txt', 'Boat to Lampedusa every Thursday.'));
    addRemote(store, {
      name: 'agency',
      url: 's3://evidence/team-a',
      endpoint: 'http://127.0.0.1:9',
      region: 'eu-south-1',
    });
  });
  await page.getByRole('button', { name: new RegExp(CASE) }).click();
  await page.getByText('1 item').first().waitFor();
  await page.getByRole('button', { name: /^Export/ }).click();
}, 120_000);

afterAll(async () => {
  await ui?.close();
  for (const [name, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

const remotesTable = () => page.getByRole('table', { name: 'Remotes (S3 object storage)' });

/** The custody actions of the store, read from its file. */
function ledgerActions(): string[] {
  const store = EvidenceStore.openForReading(ui.storeDir);
  try {
    return store.ledger().map((e) => e.action);
  } finally {
    store.close();
  }
}

describe('the Remotes panel', () => {
  it('lists a remote added through core with its bucket, prefix and endpoint, and says where credentials come from', async () => {
    await remotesTable().waitFor();
    const row = remotesTable().locator('tbody tr');
    expect(await row.count()).toBe(1);
    expect(await row.first().textContent()).toMatch(
      /agency.*s3:\/\/evidence\/team-a.*http:\/\/127\.0\.0\.1:9/,
    );
    expect(await page.getByText(/never entered or stored here.*AWS_ACCESS_KEY_ID/).isVisible()).toBe(true);
  });

  it('Push with no credentials in the environment names the AWS variables and records nothing', async () => {
    const before = ledgerActions();
    await page.getByRole('button', { name: 'Push this case to agency' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor({ timeout: 60_000 });
    expect(await alert.textContent()).toContain('set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY');
    expect(ledgerActions()).toEqual(before);
    expect(ledgerActions()).not.toContain('remote.push');
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.getByRole('heading', { name: 'Remotes (S3 object storage)' }).scrollIntoViewIfNeeded();
    await ui.screenshot('remotes-panel-no-credentials-1024x700');
  }, 90_000);
});
