import fs from 'node:fs';
import { afterEach, describe, expect, test } from 'vitest';
import { runAudit } from '../../../electron/core/audit/run-audit.js';
import { requestPending } from '../../../electron/core/timestamp/stamp-queue.js';
import { addTrustedRoots } from '../../../electron/core/timestamp/timestamp-settings.js';
import { localTsaForTests } from '../../support/local-tsa.js';
import { seedStore } from '../../support/seed-store.js';
import { sqliteShell } from '../../support/sqlite.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';

const localTsa = localTsaForTests();
let temp: TempStore;
afterEach(() => temp?.remove());

/** A store with two items and the ledger head stamped by the local authority. */
async function stampedStore() {
  temp = makeTempStore({ caseNumber: 'AU-1' });
  await seedStore(temp, { files: 2 });
  const store = temp.open();
  try {
    addTrustedRoots(store, localTsa().caPem, 'ca.pem');
    const results = await requestPending(store, { authorities: [localTsa().url] });
    expect(results.every((r) => r.status === 'granted')).toBe(true);
    return results;
  } finally {
    store.close();
  }
}

async function audit() {
  const store = temp.openForReading();
  try {
    return await runAudit(store);
  } finally {
    store.close();
  }
}

describe('audit of timestamp tokens', () => {
  test('a stamped store audits clean, and token and chain blobs are not reported as left over', async () => {
    await stampedStore();
    const report = await audit();
    expect(report.problems).toEqual([]);
    expect(report.notices).toEqual([]);
  });

  test('a token blob changed on disk is named, with what it belongs to', async () => {
    const [first] = await stampedStore();
    const store = temp.openForReading();
    const file = store.blobs.pathOf(first?.tokenSha256 ?? '');
    store.close();
    fs.chmodSync(file, 0o644);
    fs.appendFileSync(file, Buffer.from([0]));
    const report = await audit();
    expect(report.problems).toContainEqual({
      subject: expect.stringContaining(`of ${first?.covers}`),
      problem: expect.stringMatching(/its token blob [0-9a-f]{64} changed: it now hashes to/),
    });
  });

  test('a token row edited behind Custos no longer matches its custody entry and is named', async () => {
    const [first, second] = await stampedStore();
    sqliteShell(
      temp.dir,
      `DROP TRIGGER timestamp_tokens_granted_no_update;
       UPDATE timestamp_tokens SET token_sha256 = '${second?.tokenSha256}' WHERE covers = '${first?.covers}';`,
    );
    const report = await audit();
    expect(report.problems).toContainEqual({
      subject: expect.stringContaining(`of ${first?.covers}`),
      problem: 'does not match the timestamp.granted custody entry that recorded it',
    });
  });
});
