/**
 * Runs due watches while the app is open (docs/WATCH.md). It lives in the API service, not in the
 * Electron shell, so the browser harness runs it too. Its timer is unref'd (it never keeps a
 * process alive) and stops with the service; a run takes the writer through StoreAccess, which
 * releases the writer lock as soon as the run is over, so `custos` can write between runs.
 */
import type { BrowserProvider } from '../../capture/capture-service.js';
import { runWatches, type WatchRunCheck } from '../../watch/watch-runner.js';
import { isDue, listWatchViews } from '../../watch/watch-service.js';
import type { StoreAccess } from './store-access.js';

/** How often the scheduler looks for due watches: a watch's interval is at least 5 minutes. */
export const WATCH_TICK_MS = 60_000;

/** What to run a check with. */
export interface WatchSchedulerOptions {
  readonly store: StoreAccess;
  readonly browser?: BrowserProvider;
  readonly tickMs?: number;
  /** Called after a scheduled run checked something (the app may refresh its badge). */
  readonly onChecked?: (checks: readonly WatchRunCheck[]) => void;
}

/** The app's watch scheduler: one run at a time, scheduled or asked for. */
export class WatchScheduler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: WatchSchedulerOptions) {}

  /** Starts looking for due watches every tick. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.options.tickMs ?? WATCH_TICK_MS);
    this.timer.unref();
  }

  /** Stops the timer; a run in progress finishes. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Runs the due watches, if any; never throws (a failed check is in the history). */
  async tick(now = new Date()): Promise<readonly WatchRunCheck[]> {
    const { store } = this.options;
    try {
      if (!store.exists()) return [];
      const due = await store.read((s) =>
        s.investigator ? listWatchViews(s.db).filter((w) => isDue(w, now)) : [],
      );
      if (due.length === 0) return [];
      const checks = await this.exclusive(() =>
        store.write((s) => runWatches(s, { now, browser: this.options.browser })),
      );
      if (checks.length > 0) this.options.onChecked?.(checks);
      return checks;
    } catch (error) {
      console.error('watch scheduler:', error);
      return [];
    }
  }

  /** Checks one watch (by id) or every active watch now, after any run in progress. */
  runNow(watchId?: string | null): Promise<WatchRunCheck[]> {
    return this.exclusive(() =>
      this.options.store.write((s) =>
        runWatches(s, { force: watchId ? { watchId } : 'all', browser: this.options.browser }),
      ),
    );
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const next = this.running.then(work, work);
    this.running = next.catch(() => undefined);
    return next;
  }
}
