import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runAudit } from '../../../electron/core/audit/run-audit.js';
import { runWatches } from '../../../electron/core/watch/watch-runner.js';
import { addWatch, listWatchViews } from '../../../electron/core/watch/watch-service.js';
import type { WatchState } from '../../../shared/watch.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';
import { startWatchSite, type WatchSite, type WatchSiteMode } from '../../support/watch-site.js';

// One end-to-end sequence with real Chromium captures (each costs seconds under load): the
// classifier's rules are tested one by one in classify-check.test.ts.
const CAPTURE_TIMEOUT_MS = 240_000;

describe('watch: a post that changes, disappears, becomes unreachable and comes back', () => {
  let site: WatchSite;
  let temp: TempStore;
  const observed: {
    mode: WatchSiteMode | 'stopped';
    state: WatchState;
    itemId: string | null;
    requests: number;
  }[] = [];

  beforeAll(async () => {
    site = await startWatchSite();
    temp = makeTempStore({ caseNumber: 'BE-2026-0142' });
    const store = temp.open();
    try {
      addWatch(store, { url: site.postUrl, caseRef: 'BE-2026-0142', intervalSeconds: 6 * 3600 });
    } finally {
      store.close();
    }
    const steps: (WatchSiteMode | 'stopped')[] = [
      'live',
      'live-later',
      'changed',
      'not-found',
      'removal-notice',
      'login-wall',
      'stopped',
      'live',
    ];
    for (const step of steps) {
      if (step === 'stopped') await site.stop();
      else {
        await site.start().catch(() => undefined);
        site.mode = step;
      }
      const before = site.postRequests;
      // A new store handle for every run: the history must survive closing and reopening (a restart).
      const store = temp.open();
      try {
        const [result] = await runWatches(store, { force: 'all' });
        if (!result) throw new Error('the run checked nothing');
        observed.push({
          mode: step,
          state: result.check.state,
          itemId: result.check.itemId,
          requests: site.postRequests - before,
        });
      } finally {
        store.close();
      }
    }
  }, CAPTURE_TIMEOUT_MS);

  afterAll(async () => {
    await site?.stop();
    temp?.remove();
  });

  test('each state of the page is classified as an investigator would', () => {
    expect(observed.map((o) => [o.mode, o.state])).toEqual([
      ['live', 'live'],
      ['live-later', 'unchanged'],
      ['changed', 'changed'],
      ['not-found', 'removed'],
      ['removal-notice', 'removed'],
      ['login-wall', 'removed'],
      ['stopped', 'unreachable'],
      ['live', 'live'],
    ]);
  });

  test('every run that reached the server left an item; the unreachable one left none', () => {
    for (const o of observed) {
      if (o.mode === 'stopped') {
        expect(o.itemId).toBeNull();
        expect(o.requests).toBe(0);
      } else {
        expect(o.requests).toBeGreaterThan(0);
        expect(o.itemId).toMatch(/^[0-9a-f-]{36}$/);
      }
    }
    expect(new Set(observed.flatMap((o) => (o.itemId ? [o.itemId] : []))).size).toBe(7);
  });

  test('the history, read from the store after the runs, holds every state with the item proving it and why', () => {
    const store = temp.openForReading();
    try {
      const [watch] = listWatchViews(store.db);
      expect(watch?.state).toBe('live');
      expect(watch?.history.map((c) => [c.state, c.itemId])).toEqual(
        observed.map((o) => [o.state, o.itemId]),
      );
      const [, unchanged, changed, notFound, notice, login, unreachable] = watch!.history;
      expect(unchanged?.signals.textSimilarity).toBeGreaterThan(0.95);
      expect(changed?.reasons.join(' ')).toMatch(/visible text/);
      expect(notFound?.reasons).toContain('HTTP status 404');
      expect(notice?.reasons.join(' ')).toMatch(
        // The test site is on 127.0.0.1: the notice is that site's, in Facebook's wording.
        /removal notice: "This content isn't available right now" \(127\.0\.0\.1, en; facebook's wording\)/,
      );
      expect(login?.reasons.join(' ')).toMatch(/login page/);
      expect(unreachable?.error).toMatch(/refused the connection/);
      // Items exist and belong to the case.
      for (const check of watch!.history)
        if (check.itemId) expect(store.getItemSummary(check.itemId).caseId).toBe(temp.caseId);
    } finally {
      store.close();
    }
  });

  test('the ledger has a signed entry per check, and the audit stays clean', async () => {
    const store = temp.openForReading();
    try {
      const checks = store.ledger().filter((e) => e.action === 'watch.check');
      expect(checks.map((e) => e.details.state)).toEqual(observed.map((o) => o.state));
      expect(checks.filter((e) => e.details.changed).length).toBe(6);
      expect(store.ledger().filter((e) => e.action === 'watch.add')).toHaveLength(1);
      const report = await runAudit(store);
      expect(report.problems).toEqual([]);
    } finally {
      store.close();
    }
  });
});
