import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WatchView } from '../../shared/watch.js';
import { runCustos, runCustosJson } from '../support/run-custos.js';
import { openRawDatabase } from '../support/sqlite.js';
import { makeTempStore, type TempStore } from '../support/temp-store.js';
import { startWatchSite, type WatchSite } from '../support/watch-site.js';
import { CLI_TEST_TIMEOUT_MS } from './cli-fixtures.js';
import { storeState } from './store-state.js';

/** The store's row counts plus its watch tables: equal before and after means nothing was written. */
function fullState(storeDir: string) {
  const db = openRawDatabase(storeDir, { readonly: true });
  try {
    const count = (table: string) =>
      (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    return {
      ...storeState(storeDir),
      watches: count('watches'),
      checks: count('watch_checks'),
      removals: count('watch_removals'),
    };
  } finally {
    db.close();
  }
}

describe(
  'custos watch',
  () => {
    let temp: TempStore;
    let site: WatchSite;
    let closedUrl: string;

    beforeAll(async () => {
      temp = makeTempStore({ caseNumber: 'BE-1' });
      site = await startWatchSite();
      // A port that was listening and is now closed: connection refused, a network error.
      const gone = await startWatchSite();
      closedUrl = gone.postUrl;
      await gone.stop();
    });
    afterAll(async () => {
      await site.stop();
      temp.remove();
    });

    async function expectRefused(args: readonly string[], message: RegExp): Promise<void> {
      const before = fullState(temp.dir);
      const result = await runCustos(args, { store: temp.dir });
      expect(result.stderr).toMatch(message);
      expect(result.status, result.stderr).toBe(2);
      expect(result.stdout).toBe('');
      expect(fullState(temp.dir)).toEqual(before);
    }

    it('refuses a URL that is not http(s), with exit 2 and nothing written', async () => {
      await expectRefused(
        ['watch', 'add', 'file:///etc/passwd', '--case', 'BE-1'],
        /only http:\/\/ and https:\/\//,
      );
      await expectRefused(
        ['watch', 'add', 'social.example/p/1', '--case', 'BE-1'],
        /did you mean https:\/\/social\.example/,
      );
    });

    it('refuses a bad interval, with exit 2, an example and nothing written', async () => {
      for (const every of ['6 hours', '1m']) {
        await expectRefused(
          ['watch', 'add', site.postUrl, '--case', 'BE-1', '--every', every],
          /e\.g\. 30m, 6h/,
        );
      }
    });

    it('refuses an unknown case, an unwatched URL to remove or run, with exit 2 and nothing written', async () => {
      await expectRefused(['watch', 'add', site.postUrl, '--case', 'NOPE'], /case NOPE not found/);
      await expectRefused(['watch', 'remove', 'https://social.example/p/1'], /is not watched/);
      await expectRefused(['watch', 'run', 'https://social.example/p/1'], /is not watched/);
      await expectRefused(['watch', 'run', 'not a url'], /not a valid URL/);
    });

    it('adds, lists and removes a watch, each a custody entry, keeping the removed watch and its history', async () => {
      const added = await runCustosJson<WatchView>(
        ['watch', 'add', site.postUrl, '--case', 'BE-1', '--every', '1d'],
        {
          store: temp.dir,
        },
      );
      expect(added.status, added.stderr).toBe(0);
      expect(added.json).toMatchObject({
        url: site.postUrl,
        intervalSeconds: 86_400,
        state: null,
        history: [],
      });
      await expectRefused(['watch', 'add', site.postUrl, '--case', 'BE-1'], /already watches/);

      const listed = await runCustosJson<{ watches: WatchView[] }>(['watch', 'list'], { store: temp.dir });
      expect(listed.json.watches.map((w) => w.id)).toEqual([added.json.id]);

      const removed = await runCustosJson<WatchView>(['watch', 'remove', site.postUrl], { store: temp.dir });
      expect(removed.status, removed.stderr).toBe(0);
      expect(removed.json.removedAt).not.toBeNull();
      expect(
        (await runCustosJson<{ watches: WatchView[] }>(['watch', 'list'], { store: temp.dir })).json.watches,
      ).toEqual([]);
      const withRemoved = await runCustosJson<{ watches: WatchView[] }>(['watch', 'list', '--removed'], {
        store: temp.dir,
      });
      expect(withRemoved.json.watches.map((w) => [w.id, w.removedAt])).toEqual([
        [added.json.id, removed.json.removedAt],
      ]);

      const log = await runCustosJson<
        { action: string; subject: string }[] | { entries: { action: string; subject: string }[] }
      >(['log', '--case', 'BE-1'], { store: temp.dir });
      const entries = Array.isArray(log.json) ? log.json : log.json.entries;
      expect(entries.filter((e) => e.subject === added.json.id).map((e) => e.action)).toEqual([
        'watch.add',
        'watch.remove',
      ]);
    });

    it(
      'watch run records an unreachable site without failing (exit 0), and a capture that fails otherwise with exit 3; the audit stays clean',
      async () => {
        expect(
          (await runCustos(['watch', 'add', closedUrl, '--case', 'BE-1'], { store: temp.dir })).status,
        ).toBe(0);
        const unreachable = await runCustosJson<{
          checks: { url: string; state: string; itemId: string | null; error: string }[];
        }>(['watch', 'run', closedUrl], { store: temp.dir, timeoutMs: CLI_TEST_TIMEOUT_MS });
        expect(unreachable.status, unreachable.stderr).toBe(0);
        expect(unreachable.json.checks).toMatchObject([
          { url: closedUrl, state: 'unreachable', itemId: null },
        ]);
        expect(unreachable.json.checks[0]?.error).toMatch(/refused the connection/);

        // Checked a moment ago and due in 6 h: a plain run (cron's) has nothing to do.
        const idle = await runCustos(['watch', 'run'], { store: temp.dir });
        expect(idle.status, idle.stderr).toBe(0);
        expect(idle.stdout).toMatch(/Nothing is due/);

        site.mode = 'download';
        const siteWatch = await runCustos(['watch', 'add', site.postUrl, '--case', 'BE-1'], {
          store: temp.dir,
        });
        expect(siteWatch.status, siteWatch.stderr).toBe(0);
        const failed = await runCustosJson<{
          checks: { url: string; state: string; error: string | null }[];
        }>(['watch', 'run', site.postUrl], { store: temp.dir, timeoutMs: CLI_TEST_TIMEOUT_MS });
        expect(failed.status, failed.stderr).toBe(3);
        expect(failed.json.checks.map((c) => c.state)).toEqual(['failed']);
        expect(failed.stderr).toMatch(/1 of 1 capture\(s\) failed/);

        const list = await runCustosJson<{ watches: WatchView[] }>(['watch', 'list'], { store: temp.dir });
        expect(list.json.watches.map((w) => [w.url, w.state, w.history.length])).toEqual([
          [closedUrl, 'unreachable', 1],
          [site.postUrl, 'failed', 1],
        ]);
        const audit = await runCustos(['audit'], { store: temp.dir });
        expect(audit.status, audit.stdout + audit.stderr).toBe(0);
      },
      CLI_TEST_TIMEOUT_MS,
    );

    it(
      'says which selectors a watch check’s new capture holds',
      async () => {
        const added = await runCustos(['selector', 'add', 'Sabratha', '--label', 'departure point'], {
          store: temp.dir,
        });
        expect(added.status, added.stderr).toBe(0);
        site.mode = 'live';
        const run = await runCustos(['watch', 'run', site.postUrl], {
          store: temp.dir,
          timeoutMs: CLI_TEST_TIMEOUT_MS,
        });
        expect(run.status, run.stderr).toBe(0);
        expect(run.stderr).toMatch(
          /selector hit: sabratha \(departure point\) as words in item [0-9a-f-]{36} of case BE-1/,
        );
      },
      CLI_TEST_TIMEOUT_MS,
    );
  },
  CLI_TEST_TIMEOUT_MS,
);
