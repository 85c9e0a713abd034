import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import type { TokenCheckJob, TokenCheckOutcome } from '../../../electron/core/bundle/token-check.js';
import { MIN_TOKENS_FOR_THREADS, startTokenChecks } from '../../../electron/core/bundle/token-check-pool.js';
import { threadModule } from '../../../electron/core/thread-module.js';
import { buildTimestampRequest } from '../../../electron/core/timestamp/timestamp-request.js';
import { type PoolBatch, startWorkerPool } from '../../../electron/core/worker-pool.js';
import { localTsaForTests } from '../../support/local-tsa.js';

const localTsa = localTsaForTests();
const DIGEST = createHash('sha256').update('capture record of item 7').digest('hex');

/** A token for DIGEST from the local authority, as received. */
async function token(): Promise<Buffer> {
  await localTsa().setMode('ok');
  const response = await fetch(localTsa().url, { method: 'POST', body: buildTimestampRequest(DIGEST).der });
  return Buffer.from(await response.arrayBuffer());
}

/**
 * Verify checks a bundle's tokens on worker threads when there are many: a thread must reach the
 * same verdict as the calling thread, for a sound token and for a changed one, or a bundle's
 * report would depend on the machine's cores.
 */
describe('token checks on worker threads', () => {
  test('a sound token is trusted through the root given, and a changed one is refused, on threads as here', async () => {
    const der = await token();
    const changed = Buffer.from(der);
    changed[changed.length - 1] = (changed[changed.length - 1] ?? 0) ^ 0x01;
    const roots = { recipient: [localTsa().caPem], investigator: [] };
    const jobs = [
      { der, expected: DIGEST, chainPem: null },
      { der: changed, expected: DIGEST, chainPem: null },
      { der, expected: DIGEST.replace(/^./, (c) => (c === '0' ? '1' : '0')), chainPem: null },
    ];
    // As for a bundle of many tokens: on threads (at most two), and with threads capped at 0, here.
    const here = startTokenChecks(MIN_TOKENS_FOR_THREADS, roots, { threads: 0 });
    const threads = startTokenChecks(MIN_TOKENS_FOR_THREADS, roots, { threads: 2 });
    try {
      const onThreads = await Promise.all(jobs.map((job) => threads.check(job)));
      const onThisThread = await Promise.all(jobs.map((job) => here.check(job)));
      expect(threads.checkedOnThreads()).toBe(jobs.length);
      expect(here.checkedOnThreads()).toBe(0);
      expect(onThreads).toEqual(onThisThread);
      const [sound, signatureChanged, otherImprint] = onThreads;
      expect(sound?.check.faults).toEqual([]);
      expect(sound?.finding?.trust).toBe('recipient-root');
      expect(signatureChanged?.check.faults.join(' ')).toMatch(/signature-invalid/);
      expect(signatureChanged?.finding).toBeNull();
      expect(otherImprint?.check.faults.join(' ')).toMatch(/imprint-mismatch/);
    } finally {
      await Promise.all([threads.close(), here.close()]);
    }
  });

  test("a token thread answers the batches it holds in the order they came, so no token gets another one's verdict", async () => {
    // The pool matches a thread's answers to its batches by order. A batch of sound tokens (their
    // signatures checked asynchronously) is followed at once by a forged token that fails at
    // once: answered out of order, the forged token would take a sound token's verdict.
    const der = await token();
    const roots = { recipient: [localTsa().caPem], investigator: [] };
    const pool = startWorkerPool<TokenCheckJob, TokenCheckOutcome>(
      threadModule(
        'token-check-worker',
        new URL('../../../electron/core/bundle/token-check-pool.ts', import.meta.url).href,
      ),
      1,
      roots,
    );
    /** A batch of `jobs` whose answers the promise gives (none here: the thread must answer). */
    const batch = (jobs: TokenCheckJob[]) => {
      let answered: (answers: readonly TokenCheckOutcome[]) => void = () => undefined;
      const answers = new Promise<readonly TokenCheckOutcome[]>((resolve) => {
        answered = resolve;
      });
      const sent: PoolBatch<TokenCheckJob, TokenCheckOutcome> = {
        jobs,
        done: answered,
        runHere: async () => answered([]),
      };
      return { answers, sent };
    };
    const sound = batch(Array.from({ length: 4 }, () => ({ der, expected: DIGEST, chainPem: null })));
    const forged = batch([{ der: Buffer.from('not a timestamp token'), expected: DIGEST, chainPem: null }]);
    try {
      expect(pool.running()).toBe(1);
      pool.assign([[sound.sent, forged.sent]]);
      const [soundAnswers, forgedAnswers] = await Promise.all([sound.answers, forged.answers]);
      expect(soundAnswers.map((answer) => answer.check.faults)).toEqual([[], [], [], []]);
      expect(forgedAnswers).toHaveLength(1);
      expect(forgedAnswers[0]?.check.faults.length).toBeGreaterThan(0);
    } finally {
      await pool.close();
    }
  });
});
