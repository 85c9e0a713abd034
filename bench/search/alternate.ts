/**
 * Searches timed with two checkouts' code (or on two stores) alternately, a search at a time in one
 * process, so that both see the same load (bench/search/several-words.ts, interleaved.ts).
 */
import os from 'node:os';
import { quantile } from '../support/bench-kit.js';

/**
 * Times each of `ways(query)` (named "way side", run in turn) `runs` times for every query, the
 * first two runs only warming the caches, and prints a line a query of each one's median / p95 in
 * ms, then the load average over the queries.
 */
export function timeAlternately(
  queries: readonly string[],
  runs: number,
  ways: (query: string) => Readonly<Record<string, () => unknown>>,
): void {
  const loads: number[] = [];
  for (const query of queries) {
    const times: Record<string, number[]> = {};
    for (let run = 0; run < runs + 2; run++) {
      for (const [key, search] of Object.entries(ways(query))) {
        const start = process.hrtime.bigint();
        search();
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        if (run < 2) continue; // the first two runs warm the caches
        times[key] = [...(times[key] ?? []), ms];
      }
    }
    loads.push(os.loadavg()[0] ?? 0);
    const cells = Object.entries(times).map(([key, t]) => {
      t.sort((a, b) => a - b);
      return `${key} ${quantile(t, 0.5).toFixed(1)} / ${quantile(t, 0.95).toFixed(1)}`;
    });
    console.log(`${query.padEnd(26)} ${cells.join(' | ')}`);
  }
  console.log(`load average ${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)}`);
}
