import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runAudit } from '../../../electron/core/audit/run-audit.js';
import { runWatches } from '../../../electron/core/watch/watch-runner.js';
import { addWatch } from '../../../electron/core/watch/watch-service.js';
import { openRawDatabase } from '../../support/sqlite.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';
import { startWatchSite } from '../../support/watch-site.js';

describe('custos audit over watch history', () => {
  let temp: TempStore;
  beforeAll(async () => {
    temp = makeTempStore({ caseNumber: 'BE-1' });
    const site = await startWatchSite();
    await site.stop(); // unreachable: a real check without a Chromium capture to wait for
    const store = temp.open();
    try {
      addWatch(store, { url: site.postUrl, caseRef: 'BE-1', intervalSeconds: 3600 });
      await runWatches(store, { force: 'all' });
    } finally {
      store.close();
    }
  }, 120_000);
  afterAll(() => temp.remove());

  async function auditProblems() {
    const store = temp.openForReading();
    try {
      return (await runAudit(store)).problems;
    } finally {
      store.close();
    }
  }

  test('a history as recorded is clean', async () => {
    expect(await auditProblems()).toEqual([]);
  });

  test('a check whose state was edited behind Custos (triggers dropped) is named against its signed entry', async () => {
    const db = openRawDatabase(temp.dir);
    try {
      db.exec("DROP TRIGGER watch_checks_no_update; UPDATE watch_checks SET state = 'failed'");
    } finally {
      db.close();
    }
    const problems = await auditProblems();
    expect(problems).toHaveLength(2);
    // The dropped trigger is named by the schema check, the edit against its signed entry.
    expect(problems[0]).toEqual({
      subject: 'database schema',
      problem: 'the trigger watch_checks_no_update is missing: the table watch_checks could be edited',
    });
    expect(problems[1]?.subject).toMatch(/^check \d+ of watch [0-9a-f-]{36}$/);
    expect(problems[1]?.problem).toMatch(
      /state is "failed", its signed custody entry \d+ says "unreachable"/,
    );
  });
});
