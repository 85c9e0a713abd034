/**
 * A watch run is a capture like any other: when the store has a time-stamping authority, the item
 * of a check that found the page changed gets a granted RFC 3161 token over its digest, from a
 * real authority (OpenSSL on 127.0.0.1), whichever runs it (the CLI, the app's scheduler).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { listTokensCovering } from '../../../electron/core/timestamp/token-queries.js';
import { runWatches, type WatchRunCheck } from '../../../electron/core/watch/watch-runner.js';
import { addWatch } from '../../../electron/core/watch/watch-service.js';
import { localTsaForTests, trustAndAskLocalTsa } from '../../support/local-tsa.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';
import { startWatchSite, type WatchSite } from '../../support/watch-site.js';

const localTsa = localTsaForTests();
/** Two Chromium captures on a busy two-core machine. */
const CAPTURE_TIMEOUT_MS = 240_000;

describe('a watch run stamps the page it re-captured', () => {
  let site: WatchSite;
  let temp: TempStore;
  let changed: WatchRunCheck | undefined;

  beforeAll(async () => {
    site = await startWatchSite();
    temp = makeTempStore({ caseNumber: 'W-TS' });
    const store = temp.open();
    try {
      addWatch(store, { url: site.postUrl, caseRef: 'W-TS', intervalSeconds: 6 * 3600 });
      site.mode = 'live';
      await runWatches(store, { force: 'all' }); // the baseline, before authorities are set
      trustAndAskLocalTsa(store, localTsa());
      site.mode = 'changed';
      [changed] = await runWatches(store, { force: 'all' });
    } finally {
      store.close();
    }
  }, CAPTURE_TIMEOUT_MS);

  afterAll(async () => {
    await site?.stop();
    temp?.remove();
  });

  test('the check found the page changed, and its item has a granted token over its digest that OpenSSL accepts', () => {
    expect(changed?.check.state).toBe('changed');
    const itemId = changed?.check.itemId ?? '';
    expect(changed?.timestamp).toMatchObject({ covers: itemId, status: 'granted' });
    const store = temp.openForReading();
    try {
      const [token] = listTokensCovering(store.db, [itemId]);
      expect(token).toMatchObject({ status: 'granted', imprint: store.getItem(itemId).digest });
      const verified = localTsa().opensslVerify(
        store.blobs.pathOf(token?.tokenSha256 ?? ''),
        token?.imprint ?? '',
      );
      expect(verified.output).toContain('Verification: OK');
    } finally {
      store.close();
    }
  });
});
