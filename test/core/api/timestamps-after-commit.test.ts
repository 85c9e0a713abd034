/**
 * Through the app's API, what follows a commit is what follows it through the CLI (the core's
 * afterCommit): a captured page and an imported file each get a granted RFC 3161 token from the
 * store's authority, a real one (OpenSSL's `ts -reply` on 127.0.0.1), and the token verifies with
 * `openssl ts -verify`. A batch with malformed lines answers, captures the good ones (real Chromium
 * on the fixture site) and names the bad ones with their reason.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ApiService, createApiService } from '../../../electron/core/api/api-service.js';
import { listTokensCovering } from '../../../electron/core/timestamp/token-queries.js';
import type { ApiResult, BatchOutcome, ItemDetailView, ItemPage } from '../../../shared/api.js';
import { blobFile } from '../../cli/cli-fixtures.js';
import { type FixtureServer, startFixtureServer } from '../../support/fixture-server.js';
import { localTsaForTests, trustAndAskLocalTsaIn } from '../../support/local-tsa.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';

const localTsa = localTsaForTests();
/** Two pages captured by Chromium on a busy two-core machine. */
const CAPTURE_TIMEOUT_MS = 240_000;

function value<T>(result: ApiResult<unknown>): T {
  if (!result.ok) throw new Error(`expected a value, got ${result.error.kind}: ${result.error.message}`);
  return result.value as T;
}

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(async () => {
  await server?.close();
});

describe('the API stamps what it commits, as the CLI does', () => {
  let temp: TempStore;
  let api: ApiService;
  beforeEach(() => {
    temp = makeTempStore({ caseNumber: 'TS-APP' });
    trustAndAskLocalTsaIn(temp, localTsa());
    api = createApiService({ storeDir: temp.dir, watchTickMs: false });
  });
  afterEach(() => {
    api.close();
    temp.remove();
  });

  /** Checks that the item has a granted token over its digest, stored as received, that OpenSSL accepts. */
  async function expectGrantedToken(itemId: string, digest: string): Promise<void> {
    const statuses = value<Record<string, string>>(
      await api.call('waitForTimestamps', { itemIds: [itemId] }),
    );
    expect(statuses).toEqual({ [itemId]: 'granted' });
    const detail = value<ItemDetailView>(await api.call('getItem', { itemId }));
    expect(detail.timestamps).toEqual([
      {
        status: 'granted',
        authority: expect.stringContaining('tsa test authority'),
        time: expect.any(String),
        lastError: null,
      },
    ]);
    const store = temp.openForReading();
    const [token] = listTokensCovering(store.db, [itemId]);
    store.close();
    expect(token?.imprint).toBe(digest);
    const verified = localTsa().opensslVerify(blobFile(temp.dir, token?.tokenSha256 ?? ''), digest);
    expect(verified.output).toContain('Verification: OK');
  }

  it("an imported file gets a granted token from the store's authority", async () => {
    const file = temp.writeFile('chat-export.txt', 'WhatsApp +218 91 000 1234: boat Friday\n');
    const outcome = value<BatchOutcome>(await api.call('importFiles', { caseRef: 'TS-APP', paths: [file] }));
    const [item] = outcome.items;
    if (!item) throw new Error('the import made no item');
    await expectGrantedToken(item.id, item.digest);
  });

  it('answers an import without waiting for an authority that never answers: the item is listed at once, pending', async () => {
    await localTsa().setMode('hang');
    try {
      const file = temp.writeFile('photo-note.txt', 'boat leaves Friday\n');
      const outcome = value<BatchOutcome>(
        await api.call('importFiles', { caseRef: 'TS-APP', paths: [file] }),
      );
      expect(outcome.items).toHaveLength(1);
      const page = value<ItemPage>(await api.call('queryItems', { caseRef: 'TS-APP' }));
      expect(page.rows.map((r) => r.timestamp)).toEqual(['pending']);
    } finally {
      await localTsa().setMode('ok');
    }
  });

  it(
    'a batch of four lines, two malformed, answers, captures the two pages, names the two lines with their reason, and each page gets a granted token',
    async () => {
      const lines = [server.url('/post.html'), 'not a url', server.url('/feed.html'), 'javascript:alert(1)'];
      const outcome = value<BatchOutcome>(await api.call('captureUrls', { caseRef: 'TS-APP', urls: lines }));
      expect(outcome.cancelled).toBe(false);
      expect(outcome.items.map((i) => i.source)).toEqual([
        server.url('/post.html'),
        server.url('/feed.html'),
      ]);
      expect(outcome.failures).toEqual([
        { subject: 'not a url', message: expect.stringContaining('"not a url" is not a valid URL') },
        {
          subject: 'javascript:alert(1)',
          message: expect.stringContaining('only http:// and https:// pages can be captured'),
        },
      ]);
      for (const item of outcome.items) await expectGrantedToken(item.id, item.digest);
    },
    CAPTURE_TIMEOUT_MS,
  );
});
