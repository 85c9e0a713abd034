/**
 * Through the app's API, "Ask the authorities again" (`requestTimestamps`) is `custos timestamp`:
 * the core's requestPending through the writer. An item whose request a real local authority did
 * not grant (down, or its root untrusted) is granted once the authority answers, with the same
 * custody entry the command writes; what stays pending says why in the window's words.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ApiService, createApiService } from '../../../electron/core/api/api-service.js';
import type {
  ApiResult,
  BatchOutcome,
  ItemDetailView,
  TimestampRequestOutcome,
} from '../../../shared/api.js';
import { localTsaForTests, trustAndAskLocalTsaIn } from '../../support/local-tsa.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';

const localTsa = localTsaForTests();

function value<T>(result: ApiResult<unknown>): T {
  if (!result.ok) throw new Error(`expected a value, got ${result.error.kind}: ${result.error.message}`);
  return result.value as T;
}

describe('asking the authorities again from the window', () => {
  let temp: TempStore;
  let api: ApiService;
  beforeEach(() => {
    temp = makeTempStore({ caseNumber: 'TS-AGAIN' });
    api = createApiService({ storeDir: temp.dir, watchTickMs: false });
  });
  afterEach(async () => {
    await localTsa().setMode('ok');
    api.close();
    temp.remove();
  });

  /** Imports one file through the API and waits for its first request to settle. */
  async function importPending(): Promise<string> {
    const file = temp.writeFile('chat.txt', 'boat leaves Friday\n');
    const outcome = value<BatchOutcome>(
      await api.call('importFiles', { caseRef: 'TS-AGAIN', paths: [file] }),
    );
    const id = outcome.items[0]?.id ?? '';
    expect(value(await api.call('waitForTimestamps', { itemIds: [id] }))).toEqual({ [id]: 'pending' });
    return id;
  }

  it('grants an item whose authority was down once it answers, as `custos timestamp` does', async () => {
    trustAndAskLocalTsaIn(temp, localTsa());
    await localTsa().setMode('refused');
    const itemId = await importPending();
    await localTsa().setMode('ok');

    const outcome = value<TimestampRequestOutcome>(await api.call('requestTimestamps', {}));
    // The item and the custody log's head, as the command stamps both.
    expect(outcome).toEqual({ granted: 2, pending: 0, reasons: [] });
    const detail = value<ItemDetailView>(await api.call('getItem', { itemId }));
    expect(detail.timestamps).toEqual([
      expect.objectContaining({
        status: 'granted',
        authority: expect.stringContaining('tsa test authority'),
      }),
    ]);
    expect(detail.custody.map((e) => e.action)).toContain('timestamp.granted');
    const store = temp.openForReading();
    try {
      const rows = store.db.prepare('SELECT covers, status FROM timestamp_tokens ORDER BY id').all();
      expect(rows).toEqual([
        { covers: itemId, status: 'granted' },
        { covers: 'ledger-head', status: 'granted' },
      ]);
    } finally {
      store.close();
    }
  });

  it("says why requests stay pending in the window's words (an untrusted root: whom to ask, never a command)", async () => {
    trustAndAskLocalTsaIn(temp, localTsa());
    await localTsa().setMode('untrusted');
    const itemId = await importPending();

    const outcome = value<TimestampRequestOutcome>(await api.call('requestTimestamps', {}));
    expect(outcome.granted).toBe(0);
    expect(outcome.pending).toBe(2);
    expect(outcome.reasons).toHaveLength(1);
    expect(outcome.reasons[0]).toContain('does not chain to a trusted root');
    expect(outcome.reasons[0]).toContain('Trusted timestamps in Settings');
    expect(outcome.reasons[0]).not.toMatch(/custos [a-z]|--[a-z]/);
    const detail = value<ItemDetailView>(await api.call('getItem', { itemId }));
    expect(detail.timestamps.map((s) => s.status)).toEqual(['pending']);
  });

  it('two presses at once (the item screen and Settings) share one run: each request is sent once and both are told the same', async () => {
    trustAndAskLocalTsaIn(temp, localTsa());
    await localTsa().setMode('refused');
    await importPending();
    await localTsa().setMode('ok');
    const before = localTsa().requests;

    const [first, second] = await Promise.all([
      api.call('requestTimestamps', {}),
      api.call('requestTimestamps', {}),
    ]);
    expect(value(first)).toEqual({ granted: 2, pending: 0, reasons: [] });
    expect(value(second)).toEqual({ granted: 2, pending: 0, reasons: [] });
    // The item's request and the custody log's head, once each.
    expect(localTsa().requests - before).toBe(2);
  });

  it('refuses with what to do when no authority is configured, and sends nothing', async () => {
    trustAndAskLocalTsaIn(temp, localTsa(), { authorities: [] });
    const result = await api.call('requestTimestamps', {});
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.kind).toBe('bad-input');
    expect(result.error.message).toContain('enter one under Trusted timestamps in Settings');
  });
});
