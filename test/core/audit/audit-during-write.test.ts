import fs from 'node:fs';
import { afterEach, describe, expect, test } from 'vitest';
import { AUDIT_CHECKS } from '../../../electron/core/audit/audit-checks.js';
import { runAudit } from '../../../electron/core/audit/run-audit.js';
import type { AuditCheck } from '../../../electron/core/store/audit/audit-check.js';
import { runCustos } from '../../support/run-custos.js';
import { seedStore } from '../../support/seed-store.js';
import { sqliteShell } from '../../support/sqlite.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';

describe('custos audit while another process writes', { timeout: 120_000 }, () => {
  let temp: TempStore | undefined;
  afterEach(() => temp?.remove());

  test('a write committed after the audit began (store.json rewritten for it before the anchor check) is no finding: the audit of its snapshot is clean', async () => {
    const store = makeTempStore({ caseNumber: 'AW-1' });
    temp = store;
    await seedStore(store, { files: 1 });
    // The write happens inside the audit's snapshot, once it has begun (its first read), before
    // every registered check: a real `custos` process, which commits and rewrites store.json.
    const writeDuringAudit: AuditCheck = {
      name: 'a write by another process',
      run: async ({ db }) => {
        db.prepare('SELECT count(*) FROM ledger').get(); // the snapshot begins here
        const created = await runCustos(['case', 'create', '--number', 'AW-2', '--title', 'during'], {
          store: store.dir,
        });
        expect(created.status, created.stderr).toBe(0);
        return {};
      },
    };
    const reader = store.openForReading();
    try {
      const report = await runAudit(reader, undefined, [writeDuringAudit, ...AUDIT_CHECKS]);
      expect(report.problems).toEqual([]);
      expect(report.clean).toBe(true);
    } finally {
      reader.close();
    }
    const after = await runCustos(['audit'], { store: store.dir });
    expect(after.status, after.stdout).toBe(0);
  });

  test("a store's first store.json (a store from before anchors), written and recorded by another process after the audit read the folder's and before any check has read the database, is no finding: the snapshot began with the audit", async () => {
    const store = makeTempStore({ caseNumber: 'AW-1' });
    temp = store;
    await seedStore(store, { files: 1 });
    fs.rmSync(`${store.dir}/store.json`);
    sqliteShell(store.dir, "DELETE FROM settings WHERE key = 'store.anchored';");
    // The first check reads nothing before the write, which writes store.json and then records
    // 'store.anchored': a snapshot begun only at a check's first read would see that record with
    // store.json read as missing before it.
    const writeFirst: AuditCheck = {
      name: 'a write by another process',
      run: async () => {
        const created = await runCustos(['case', 'create', '--number', 'AW-2', '--title', 'during'], {
          store: store.dir,
        });
        expect(created.status, created.stderr).toBe(0);
        expect(fs.existsSync(`${store.dir}/store.json`)).toBe(true);
        return {};
      },
    };
    const reader = store.openForReading();
    try {
      const report = await runAudit(reader, undefined, [writeFirst, ...AUDIT_CHECKS]);
      expect(report.problems).toEqual([]);
      expect(report.notices.map((n) => n.subject)).toContain('store anchor store.json');
    } finally {
      reader.close();
    }
    const after = await runCustos(['audit'], { store: store.dir });
    expect(after.status, after.stdout).toBe(0);
  });
});
