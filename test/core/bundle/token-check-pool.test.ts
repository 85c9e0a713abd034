import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { MIN_TOKENS_FOR_THREADS, startTokenChecks } from '../../../electron/core/bundle/token-check-pool.js';
import { buildTimestampRequest } from '../../../electron/core/timestamp/timestamp-request.js';
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
});
