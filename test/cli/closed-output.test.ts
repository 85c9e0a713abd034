import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOS_BIN } from '../support/run-custos.js';
import { type SeededEvidence, seedStore } from '../support/seed-store.js';
import { makeTempStore, type TempStore } from '../support/temp-store.js';

describe('a reader that closes the pipe early', { timeout: 60_000 }, () => {
  let temp: TempStore;
  let seeded: SeededEvidence;

  beforeAll(async () => {
    temp = makeTempStore({ caseNumber: 'EP-1' });
    seeded = await seedStore(temp, { files: 1 });
  });
  afterAll(() => temp.remove());

  it('`custos item show ID | true` ends quietly with exit 3, no EPIPE stack trace', () => {
    // `true` exits before custos has started, so every write custos makes meets a closed pipe.
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a bash script, expanded by bash
    const script = 'node "$1" --store "$2" item show "$3" | true; echo "custos-exit=${PIPESTATUS[0]}" >&2';
    const env = { ...process.env };
    delete env.CUSTOS_STORE;
    const result = spawnSync(
      'bash',
      ['-c', script, 'bash', CUSTOS_BIN, temp.dir, seeded.items[0]?.id ?? ''],
      {
        encoding: 'utf8',
        env,
      },
    );
    expect(result.stderr).not.toMatch(/EPIPE|\n\s+at /);
    expect(result.stderr.trim()).toBe('custos-exit=3');
  });

  it('`custos item show ID > /dev/full` (output on a full disk) exits 3 saying the output is incomplete, no stack trace', () => {
    const env = { ...process.env };
    delete env.CUSTOS_STORE;
    const script = 'node "$1" --store "$2" item show "$3" > /dev/full; echo "custos-exit=$?" >&2';
    const result = spawnSync(
      'bash',
      ['-c', script, 'bash', CUSTOS_BIN, temp.dir, seeded.items[0]?.id ?? ''],
      { encoding: 'utf8', env },
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stderr).toMatch(/cannot write the output \(ENOSPC[^)]*\): the output is incomplete/);
    expect(result.stderr.trim().split('\n').at(-1)).toBe('custos-exit=3');
  });
});
