import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiService } from '../../../electron/core/api/api-service.js';
import { WINDOW_AGAIN } from '../../../electron/core/errors.js';
import type { AuditReport } from '../../../shared/domain.js';
import { storeWithOlderBackup } from '../../cli/restore-fixtures.js';
import { apiForStore } from '../../support/api-for-store.js';
import { REPO_ROOT, runCustos } from '../../support/run-custos.js';
import type { TempStore } from '../../support/temp-store.js';

const KILL_PRELOAD = path.join(REPO_ROOT, 'test', 'support', 'kill-restore-at.mjs');

describe('what the window is told when a write settles a `custos restore` killed before it was recorded', () => {
  let temp: TempStore | undefined;
  let api: ApiService | undefined;
  afterEach(() => {
    api?.close();
    temp?.remove();
  });

  /** A store whose `custos restore` was killed with SIGKILL at `step` (test/support/kill-restore-at.mjs), and the API service on it. */
  async function restoreKilledAt(step: string): Promise<ApiService> {
    const made = await storeWithOlderBackup();
    temp = made.temp;
    const killed = await runCustos(['restore', '--from', made.backupDir, '--accept-loss'], {
      store: temp.dir,
      env: {
        CUSTOS_TEST_KILL_RESTORE_AT: step,
        NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${KILL_PRELOAD}`.trim(),
      },
    });
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    api = apiForStore(temp);
    return api;
  }

  it("the window's audit of a store whose restore was killed once marked notes the pending restore in the window's words (ask whoever ran it; the Audit store screen), not the command line's", async () => {
    const api = await restoreKilledAt('marked');
    const audit = await api.call('auditStore', {});
    expect(audit.ok, JSON.stringify(audit)).toBe(true);
    const report = (audit as { value: AuditReport }).value;
    expect(report.problems).toEqual([]);
    expect(report.notices).toContainEqual({
      subject: 'restore-pending.json',
      problem: `a \`custos restore\` was interrupted before it was recorded in the custody ledger (its marker is signed with this store's key); ${WINDOW_AGAIN.settleRestore}, then ${WINDOW_AGAIN.audit} again`,
    });
  });

  it("a restore killed after it put the backup in place and before it recorded that: the window's first read (the case list) finishes it, lists the backup's cases, and takeStoreNotices answers the command-line words once", async () => {
    const api = await restoreKilledAt('swapped');
    const cases = await api.call('listCases', {});
    expect(cases.ok, JSON.stringify(cases)).toBe(true);
    expect(JSON.stringify(cases)).toContain('RB-1');
    expect(JSON.stringify(cases)).not.toContain('RB-2');
    expect(fs.existsSync(path.join(temp!.dir, 'restore-pending.json'))).toBe(false);
    expect(await api.call('takeStoreNotices', {})).toEqual({
      ok: true,
      value: [
        expect.stringMatching(
          /^a `custos restore` was killed after it put the backup in place and before it recorded that; it is now recorded, as custody entry \d+ \(store\.restore, interrupted\)/,
        ),
      ],
    });
  });

  it("a marker not signed by Custos: the window's first read is refused, and its audit names the marker, each saying to run the audit from Audit store, not the command line's `custos audit`", async () => {
    const api = await restoreKilledAt('swapped');
    const marker = path.join(temp!.dir, 'restore-pending.json');
    const { signature: _, ...unsigned } = JSON.parse(fs.readFileSync(marker, 'utf8')) as Record<
      string,
      unknown
    >;
    fs.writeFileSync(marker, JSON.stringify(unsigned));
    const read = await api.call('listCases', {});
    expect(read.ok).toBe(false);
    const refusal = (read as { error: { message: string } }).error.message;
    expect(refusal).toMatch(/it is not signed: it was not written by Custos/);
    expect(refusal).toContain(`${WINDOW_AGAIN.theAudit} checks the database in place against store.json`);
    expect(refusal).not.toMatch(/custos audit/);
    const audit = await api.call('auditStore', {});
    expect(audit.ok, JSON.stringify(audit)).toBe(true);
    const problem = (audit as { value: AuditReport }).value.problems.find(
      (p) => p.subject === 'restore-pending.json',
    );
    expect(problem?.problem).toMatch(/it is not signed: it was not written by Custos/);
    expect(problem?.problem).not.toMatch(/custos audit/);
  });

  it('a restore killed once its marker was written: the next write from the window undoes it, and takeStoreNotices answers the command-line words once', async () => {
    const api = await restoreKilledAt('marked');
    expect(await api.call('takeStoreNotices', {})).toEqual({ ok: true, value: [] });

    const created = await api.call('createCase', { number: 'RB-3', title: 'next' });
    expect(created.ok, JSON.stringify(created)).toBe(true);

    expect(await api.call('takeStoreNotices', {})).toEqual({
      ok: true,
      value: [
        'a `custos restore` was killed before it put the backup in place; it was undone, and the database in place is the one that was there',
      ],
    });
    // Told once: the window does not show it again.
    expect(await api.call('takeStoreNotices', {})).toEqual({ ok: true, value: [] });
  });
});
