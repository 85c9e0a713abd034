import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/run-custos.js';
import { makeTempDir, removeTempDir } from '../support/temp-store.js';

/**
 * The export's memory bound rests on a V8 flag set after start-up (electron/cli/young-generation.ts),
 * which Node documents as unsupported: these runs check, on the Node the tests run on, that holding
 * the young generation still takes effect. Each runs in a fresh process, since V8's flags are the
 * process's. (A ceiling set the same way, `--max-semi-space-size`, was taken for a fix for two
 * rounds and did nothing: this is what would have said so.)
 */
describe("the export's young generation", () => {
  let dir: string;
  beforeAll(() => {
    dir = makeTempDir('custos-young-');
  });
  afterAll(() => removeTempDir(dir));

  /**
   * The young generation's size (MiB, both semi-spaces) after a churn of short-lived buffers and
   * objects like an export's, with `holdYoungGeneration` called first or not, and what it answered.
   */
  const youngGenerationAfterChurn = (hold: boolean, nodeOptions = '') => {
    const script = path.join(dir, `churn-${hold}.mts`);
    fs.writeFileSync(
      script,
      `import v8 from 'node:v8';
import { Worker } from 'node:worker_threads';
import { holdYoungGeneration } from ${JSON.stringify(path.join(REPO_ROOT, 'electron/cli/young-generation.ts'))};
const held = ${hold} ? holdYoungGeneration() : null;
const churn = () => {
  let kept = [];
  for (let i = 0; i < 400_000; i++) {
    kept.push({ chunk: Buffer.allocUnsafe(256), at: i, text: 'line ' + i });
    if (kept.length > 20_000) kept = [];
  }
};
churn();
// A worker thread starts (as the PDF join's does) and ends; the churn goes on after it.
const worker = new Worker('setTimeout(() => {}, 10);', { eval: true });
await new Promise((resolve) => worker.once('exit', resolve));
churn();
const space = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
console.log(JSON.stringify({ held, mib: space.space_size / 1048576 }));
`,
    );
    const run = spawnSync(process.execPath, ['--import', 'tsx', script], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: nodeOptions },
      timeout: 60_000,
    });
    expect(run.stderr).toBe('');
    return JSON.parse(run.stdout) as { held: boolean | null; mib: number };
  };

  it("stays within one step of the size it had when held (4 MiB after start-up here) through a churn and a worker thread's start, where it grows to 32 MiB otherwise", () => {
    expect(youngGenerationAfterChurn(false).mib).toBeGreaterThanOrEqual(16);
    expect(youngGenerationAfterChurn(true)).toEqual({ held: true, mib: expect.any(Number) });
    // Making the worker's heap sets the growth factor back to 2, and the hold is set again only at
    // the worker's 'online': a scavenge of the main thread in between may double the generation
    // once (4 -> 8 MiB, 2 runs in 12 here, and one CI run). Without the re-hold it grows to 32.
    expect(youngGenerationAfterChurn(true).mib).toBeLessThanOrEqual(8);
  });

  it('leaves a size the user gave Node in NODE_OPTIONS alone', () => {
    expect(youngGenerationAfterChurn(true, '--max-semi-space-size=8')).toEqual({ held: false, mib: 16 });
  });
});
