import { describe, expect, it } from 'vitest';
import { RunningCalls } from '../../../../electron/core/api/services/running-calls.js';

describe('the table of running calls (the IPC layer and the browser harness)', () => {
  it('cancels the named call and no other', () => {
    const calls = new RunningCalls();
    const first = calls.start('w1:a');
    const second = calls.start('w2:a');
    calls.cancel('w1:a');
    expect(first.signal.aborted).toBe(true);
    expect(second.signal.aborted).toBe(false);
  });

  it('starts a call cancelled when its cancel came first (a cancel that overtook its call)', () => {
    const calls = new RunningCalls();
    calls.cancel('a');
    expect(calls.start('a').signal.aborted).toBe(true);
    expect(calls.start('a').signal.aborted).toBe(false);
  });

  it('forgets early cancels beyond 64, so cancels of answered calls cannot grow the table without bound', () => {
    const calls = new RunningCalls();
    for (let i = 0; i < 65; i++) calls.cancel(`old-${i}`);
    expect(calls.start('old-0').signal.aborted).toBe(false);
    expect(calls.start('old-64').signal.aborted).toBe(true);
  });

  it('cancels the older call when a caller starts another under the same id', () => {
    const calls = new RunningCalls();
    const older = calls.start('a');
    const newer = calls.start('a');
    expect(older.signal.aborted).toBe(true);
    older.end();
    calls.cancel('a');
    expect(newer.signal.aborted).toBe(true);
  });

  it('takes an answered call out of the table, and cancels all that run when the transport closes', () => {
    const calls = new RunningCalls();
    const done = calls.start('a');
    const left = calls.start('b');
    done.end();
    expect(calls.size).toBe(1);
    calls.cancelAll();
    expect(left.signal.aborted).toBe(true);
    expect(done.signal.aborted).toBe(false);
    expect(calls.size).toBe(0);
  });
});
