/**
 * The Remotes panel of the Export screen through the browser harness (real Chromium, real store):
 * the remotes added through core are listed, Push with no AWS credentials says which variables to
 * set and records nothing, and on a real Ceph RADOS Gateway (one per file) Push and Pull work and a
 * pull of a tampered object is refused naming it. The harness runs the API in this process, so the AWS variables of this
 * process are the ones the app sees. Screenshots under test-results/ui/.
 */

import { createHash } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../electron/core/import/import-file.js';
import { addRemote } from '../../electron/core/remote/remote-config.js';
import { EvidenceStore } from '../../electron/core/store/evidence-store.js';
import { withoutAwsCredentials } from '../support/no-aws-credentials.js';
import { runCustos, runCustosJson } from '../support/run-custos.js';
import { cephMissing, type S3TestServer, startS3TestServer } from '../support/s3-test-server.js';
import { makeTempStore, type TempStore } from '../support/temp-store.js';
import { focusedElement, watchFocusOnBody } from './support/focused-element.js';
import { countCalls, holdCalls } from './support/hold-calls.js';
import { UiSession } from './support/ui-session.js';

const CASE = 'BE-2026-0142';
let restoreEnvironment: () => void = () => undefined;

let ui: UiSession;
let page: Page;

beforeAll(async () => {
  // No credentials anywhere: no variables, no profile files, no instance metadata.
  restoreEnvironment = withoutAwsCredentials();
  ui = await UiSession.start();
  page = ui.page;
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
  await openExport();
}, 120_000);

/** Opens the case (the start screen after a reload) and its Export screen. */
async function openExport(): Promise<void> {
  await page.getByRole('button', { name: new RegExp(CASE) }).click();
  await page.getByText('1 item').first().waitFor();
  await page.getByRole('button', { name: /^Export/ }).click();
}

afterAll(async () => {
  await ui?.close();
  restoreEnvironment();
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

  it('Push with no credentials in the environment says whom to ask for them, naming the AWS variables but no option, and records nothing', async () => {
    const before = ledgerActions();
    await page.getByRole('button', { name: 'Push this case to agency' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor({ timeout: 60_000 });
    const said = await alert.textContent();
    expect(said).toContain(
      "ask whoever set up this workstation's remotes to give Custos credentials for it (the AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY variables, or an AWS profile), then restart Custos",
    );
    expect(said).not.toMatch(/--profile|custos [a-z]/);
    expect(ledgerActions()).toEqual(before);
    expect(ledgerActions()).not.toContain('remote.push');
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.getByRole('heading', { name: 'Remotes (S3 object storage)' }).scrollIntoViewIfNeeded();
    await ui.screenshot('remotes-panel-no-credentials-1024x700');
  }, 90_000);

  for (const [action, method] of [
    ['Push this case to agency', 'pushCase'],
    ['Pull this case from agency', 'pullCase'],
  ] as const) {
    it(`${action.split(' ')[0]} keeps the keyboard's focus while it runs (never on the page body), and a second Enter meanwhile sends nothing`, async () => {
      const button = page.getByRole('button', { name: action });
      await button.focus();
      const release = await holdCalls(page, method);
      const sent = countCalls(page, method);
      const onBody = await watchFocusOnBody(page);
      try {
        await page.keyboard.press('Enter');
        await expect.poll(sent.count).toBe(1);
        await page.getByRole('progressbar').waitFor();
        // Running, and marked so, yet where the keyboard is: before, disabled, the focus fell to the body.
        expect(await focusedElement(page)).toBe(`button.btn.small "${action}"`);
        expect(await button.getAttribute('aria-disabled')).toBe('true');
        await page.keyboard.press('Enter');
      } finally {
        await release();
      }
      await page.getByRole('alert').waitFor({ timeout: 60_000 });
      await expect.poll(() => button.getAttribute('aria-disabled')).toBeNull();
      expect(await focusedElement(page)).toBe(`button.btn.small "${action}"`);
      expect(await onBody.stop()).toBe(0);
      expect(sent.count()).toBe(1);
      sent.stop();
    }, 90_000);
  }
});

if (cephMissing) console.warn(`Remotes panel push/pull test skipped: ${cephMissing}`);

describe.skipIf(cephMissing !== null)('the Remotes panel on Ceph RGW', () => {
  let s3: S3TestServer;
  let carl: TempStore;
  let caseId: string;

  beforeAll(async () => {
    s3 = await startS3TestServer();
    Object.assign(process.env, s3.env);
    const store = EvidenceStore.openForWriting(ui.storeDir);
    try {
      caseId = store.listCases()[0]!.id;
      addRemote(store, { name: 'ceph', url: `s3://${s3.bucket}/ui-team`, endpoint: s3.endpoint });
    } finally {
      store.close();
    }
    await page.reload();
    await openExport();
    // Carl works the same case on his own workstation, with his own key.
    carl = makeTempStore({ investigator: { name: 'Carl Diaz' } });
    await custos(['remote', 'add', 'ceph', `s3://${s3.bucket}/ui-team`, '--endpoint', s3.endpoint]);
  }, 180_000);
  afterAll(async () => {
    carl?.remove();
    await s3?.stop();
  });

  async function custos(args: string[]) {
    const result = await runCustos(args, { store: carl.dir, env: s3.env, timeoutMs: 120_000 });
    expect(result.status, result.stderr).toBe(0);
  }
  /** Carl imports a file into the case and pushes it; returns the key of its blob on the remote. */
  async function carlAddsAndPushes(name: string, content: string): Promise<string> {
    const file = carl.writeFile(name, content);
    const imported = await runCustosJson<{ items: { artifacts: { sha256: string }[] }[] }>(
      ['import', file, '--case', caseId],
      { store: carl.dir },
    );
    expect(imported.status, imported.stderr).toBe(0);
    await custos(['push', '--case', caseId, '--remote', 'ceph']);
    return `ui-team/blobs/sha256/${imported.json.items[0]!.artifacts[0]!.sha256}`;
  }

  it('Push uploads the case, says the bucket has Object Lock, and records a custody entry', async () => {
    await page.getByRole('button', { name: 'Push this case to ceph' }).click();
    const done = page.getByRole('status').filter({ hasText: 'Pushed to ceph' });
    await done.waitFor({ timeout: 120_000 });
    expect(await done.textContent()).toMatch(/1 item \(files uploaded: 1\).*The bucket has Object Lock/);
    expect(ledgerActions()).toContain('remote.push');
  }, 150_000);

  it("Pull takes another investigator's items, naming who captured them", async () => {
    await custos(['pull', '--case', caseId, '--remote', 'ceph']);
    await carlAddsAndPushes('carl-post.txt', 'Departures from Zuwara, 2000 EUR.');
    await page.getByRole('button', { name: 'Pull this case from ceph' }).click();
    const done = page.getByRole('status').filter({ hasText: 'Pulled from ceph' });
    await done.waitFor({ timeout: 120_000 });
    expect(await done.textContent()).toContain('Carl Diaz: 1 item taken');
    expect(ledgerActions()).toContain('remote.pull');
    await ui.screenshot('remotes-panel-pulled-1024x700');
  }, 240_000);

  it('Push to an endpoint that does not answer says which remote failed, why and what to do, and records nothing', async () => {
    const before = ledgerActions();
    await page.getByRole('button', { name: 'Push this case to agency' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor({ timeout: 120_000 });
    expect(await alert.textContent()).toMatch(
      /^Remote agency \(s3:\/\/evidence\/team-a\/\).*did not answer \(ECONNREFUSED\)\. Check the network and the remote's endpoint/,
    );
    expect(ledgerActions()).toEqual(before);
    await alert.scrollIntoViewIfNeeded();
    await ui.screenshot('remotes-panel-push-failed-1024x700');
  }, 150_000);

  it('a pull of a tampered object is refused naming it, and nothing is imported', async () => {
    const key = await carlAddsAndPushes('carl-price.txt', 'price 2000 EUR');
    await s3.client.send(
      new PutObjectCommand({
        Bucket: s3.bucket,
        Key: key,
        Body: 'price 2001 EUR',
        ContentMD5: createHash('md5').update('price 2001 EUR').digest('base64'),
      }),
    );
    const before = ledgerActions();
    await page.getByRole('button', { name: 'Pull this case from ceph' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor({ timeout: 120_000 });
    // One short line says what happened and what to do; the object is named in a list under it.
    expect(await alert.locator('strong').textContent()).toBe(
      'Nothing imported: 1 object on ceph was changed or is gone. Tell the bucket’s owner.',
    );
    await alert.scrollIntoViewIfNeeded();
    await ui.screenshot('remotes-panel-tampered-1024x700');
    const named = alert.getByText(key, { exact: true });
    expect(await named.isVisible()).toBe(false);
    await alert.getByText('The object that does not match its signed record').click();
    expect(await named.isVisible()).toBe(true);
    expect(await alert.getByRole('listitem').textContent()).toMatch(
      new RegExp(`^${key}: hashes to [0-9a-f]{64} .*the object was changed$`),
    );
    expect(ledgerActions()).toEqual(before);
    await alert.scrollIntoViewIfNeeded();
    await ui.screenshot('remotes-panel-tampered-objects-1024x700');
  }, 240_000);
});
