// @vitest-environment happy-dom
/**
 * The audit screen's progress as the service reports it: an audit a restore overtook starts over
 * on the restored store, and the window says so rather than showing its bar go back to nothing
 * without a word.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AuditScreen } from '../../renderer/src/screens/audit-screen.js';
import type { ApiProgress, CallOptions } from '../../shared/api.js';
import { fakeApi, type Mounted, render, settle } from './support/render.js';

let mounted: Mounted | undefined;
afterEach(() => mounted?.unmount());

/** Mounts the audit screen, runs an audit that reports `reports` in turn and never ends; the screen's text. */
async function auditReporting(reports: readonly ApiProgress[]): Promise<string> {
  let report: ((progress: ApiProgress) => void) | undefined;
  fakeApi({
    auditStore: (_input: unknown, options?: CallOptions) => {
      report = options?.onProgress;
      return new Promise(() => undefined);
    },
  });
  mounted = await render(<AuditScreen />);
  const container = mounted.container;
  container.querySelector<HTMLButtonElement>('button.btn.primary')?.click();
  for (let tries = 0; tries < 200 && !report; tries++) await settle(10);
  for (const progress of reports) report?.(progress);
  await settle(20);
  return container.textContent ?? '';
}

const RESTARTED =
  /The store was restored while the audit ran, so the audit started again on the restored store/;

describe('the audit progress', () => {
  it('says nothing of a restore while the audit runs its first time', async () => {
    const text = await auditReporting([{ done: 5_000_000, total: 9_000_000, stage: 're-hashing blobs' }]);
    expect(text).toMatch(/Re-hashing stored files: 5(\.0)? MB of 9(\.0)? MB/);
    expect(text).not.toMatch(RESTARTED);
  });

  it('says the audit started again on the restored store once a restore overtook it, while its bar starts over', async () => {
    const text = await auditReporting([
      { done: 5_000_000, total: 9_000_000, stage: 're-hashing blobs' },
      { done: 0, total: 0, restarted: true },
      { done: 1_000_000, total: 3_000_000, stage: 're-hashing blobs', restarted: true },
    ]);
    expect(text).toMatch(RESTARTED);
    expect(text).toMatch(/Re-hashing stored files: 1(\.0)? MB of 3(\.0)? MB/);
  });
});
