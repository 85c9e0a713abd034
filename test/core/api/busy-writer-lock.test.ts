import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiService } from '../../../electron/core/api/api-service.js';
import type { ApiResult } from '../../../shared/api.js';
import { apiForStore } from '../../support/api-for-store.js';
import { committedCaseNumbers } from '../../support/sqlite.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';
import { holdWriterLock, type WriterLockHolder } from '../../support/writer-lock-holder.js';

/** The case numbers a `listCases` answer lists. */
function listedNumbers(result: ApiResult<unknown>): string[] {
  expect(result.ok, JSON.stringify(result)).toBe(true);
  return result.ok ? (result.value as { number: string }[]).map((c) => c.number) : [];
}

// The app's API runs on Electron's main process: a write that blocked its thread waiting for the
// writer lock froze every window for up to 5 s, and the read below would have been answered only
// after the write had failed. The holder is a second real process (a `custos` command's stand-in).
describe('an app write while another Custos process holds the writer lock', { timeout: 120_000 }, () => {
  let temp: TempStore;
  let holder: WriterLockHolder | undefined;
  let api: ApiService | undefined;
  beforeEach(async () => {
    temp = makeTempStore({ caseNumber: 'BUSY-1' });
    holder = await holdWriterLock(temp.dir);
  });
  afterEach(async () => {
    vi.useRealTimers();
    api?.close();
    api = undefined;
    await holder?.kill();
    holder = undefined;
    temp.remove();
  });

  /** Starts a write through the API and records in `answered` when it is answered. */
  function createCase(number: string, answered: string[]): Promise<ApiResult<unknown>> {
    return api!.call('createCase', { number, title: `Case ${number}` }).then((result) => {
      answered.push(number);
      return result;
    });
  }

  it('waits without holding the thread: a read issued meanwhile is answered first, and the writes are made once the holder lets go', async () => {
    api = apiForStore(temp, { writerLockWaitMs: 600_000 }); // a bound no loaded machine reaches here
    const answered: string[] = [];
    const first = createCase('BUSY-2', answered);
    const second = createCase('BUSY-3', answered); // shares the first one's wait for the lock
    expect(listedNumbers(await api.call('listCases', {}))).toEqual(['BUSY-1']);
    answered.push('read');
    expect(await api.call('startStoreUpgrade', {})).toEqual({ ok: true, value: null });
    answered.push('another call');
    expect(answered).toEqual(['read', 'another call']);
    expect(committedCaseNumbers(temp.dir)).toEqual(['BUSY-1']);

    await holder!.kill(); // the other process ends (SIGKILL: the operating system drops its lock)
    holder = undefined;
    const [made, alsoMade] = await Promise.all([first, second]);
    expect(made.ok, JSON.stringify(made)).toBe(true);
    expect(alsoMade.ok, JSON.stringify(alsoMade)).toBe(true);
    expect(answered.slice(0, 2)).toEqual(['read', 'another call']);
    expect(committedCaseNumbers(temp.dir)).toEqual(['BUSY-1', 'BUSY-2', 'BUSY-3']);
    api.close();
    api = undefined;
    temp.open().close(); // and the app let the lock go once idle: the `custos` command can write
  });

  it('past its bound, fails with the message that names the holder and says what to do, having written nothing', async () => {
    // The bound's clock (performance.now, which the wait reads) is the test's: it runs out once the
    // read is answered, not at a moment a loaded machine can reach before that (the read took up to
    // 211 of the 300 ms at load 12).
    vi.useFakeTimers({ toFake: ['performance'] });
    api = apiForStore(temp, { writerLockWaitMs: 300 });
    const answered: string[] = [];
    const refusing = createCase('BUSY-2', answered);
    expect(listedNumbers(await api.call('listCases', {}))).toEqual(['BUSY-1']);
    answered.push('read');
    vi.advanceTimersByTime(300);
    const refused = await refusing;
    expect(answered).toEqual(['read', 'BUSY-2']);
    expect(refused).toEqual({
      ok: false,
      error: {
        kind: 'failure',
        message: expect.stringContaining(
          `the store is in use by another Custos process (pid ${holder!.pid} on `,
        ),
      },
    });
    expect(!refused.ok && refused.error.message).toMatch(
      /; wait for it to finish, or close it, and try again$/,
    );
    expect(committedCaseNumbers(temp.dir)).toEqual(['BUSY-1']);
  });

  it('stops waiting when the app closes, and takes no lock afterwards', async () => {
    api = apiForStore(temp, { writerLockWaitMs: 600_000 });
    const answered: string[] = [];
    const waiting = createCase('BUSY-2', answered);
    expect(listedNumbers(await api.call('listCases', {}))).toEqual(['BUSY-1']);
    api.close(); // the app quits while the write waits
    api = undefined;
    const refused = await waiting;
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.error.message).toContain('Custos is closing; nothing was done');
    await holder!.kill();
    holder = undefined;
    temp.open().close(); // nothing in this process took the lock when it came free
    expect(committedCaseNumbers(temp.dir)).toEqual(['BUSY-1']);
  });
});
