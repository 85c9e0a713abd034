/**
 * The custody log of a case pages through the ledger: a case with 100,000 entries answers one
 * page at a time, oldest or newest first, filtered by text or by action.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiService, createApiService } from '../../../electron/core/api/api-service.js';
import type { ApiResult, LedgerPage } from '../../../shared/api.js';
import { seedLedger } from '../../support/seed-ledger.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';

const SEEDED = 100_000;

function page(result: ApiResult<unknown>): LedgerPage {
  if (!result.ok) throw new Error(`expected a page, got ${result.error.kind}: ${result.error.message}`);
  return result.value as LedgerPage;
}

describe('the custody log of a case with 100,000 entries', () => {
  let temp: TempStore;
  let api: ApiService;
  let head: number;
  beforeAll(() => {
    temp = makeTempStore({ caseNumber: 'BE-1' });
    const store = temp.open();
    store.createCase({ number: 'OTHER-2', title: 'Another case' });
    store.close();
    head = seedLedger(temp, SEEDED);
    api = createApiService({ storeDir: temp.dir, exportDir: path.join(temp.base, 'exports') });
  }, 120_000);
  afterAll(() => {
    api?.close();
    temp?.remove();
  });

  it('pages oldest first from the case’s creation, with the total of the case only', async () => {
    const first = page(await api.call('queryLedger', { caseRef: 'BE-1', limit: 100 }));
    // The case's own entries: its creation and the seeded ones (not the store's init, not OTHER-2).
    expect(first.total).toBe(SEEDED + 1);
    expect(first.rows).toHaveLength(100);
    expect(first.rows[0]?.action).toBe('case.create');
    const seqs = first.rows.map((r) => r.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const later = page(await api.call('queryLedger', { caseRef: 'BE-1', offset: 100, limit: 100 }));
    expect(later.offset).toBe(100);
    expect(later.rows[0]?.seq).toBeGreaterThan(seqs.at(-1) ?? 0);
  });

  it('pages newest first: the head of the ledger comes first, the case’s creation last', async () => {
    const newest = page(await api.call('queryLedger', { caseRef: 'BE-1', limit: 50, descending: true }));
    expect(newest.rows[0]?.seq).toBe(head);
    expect(newest.rows[1]?.seq).toBe(head - 1);
    const last = page(
      await api.call('queryLedger', { caseRef: 'BE-1', offset: SEEDED, limit: 50, descending: true }),
    );
    expect(last.rows.map((r) => r.action)).toEqual(['case.create']);
  });

  it('filters by text in the details and by action, counting what matches', async () => {
    const persian = page(await api.call('queryLedger', { caseRef: 'BE-1', search: 'قایق', limit: 10 }));
    expect(persian.total).toBe(SEEDED * (4 / 5) * (1 / 4));
    expect(persian.rows.every((r) => String(r.details.text).includes('قایق'))).toBe(true);
    const tags = page(await api.call('queryLedger', { caseRef: 'BE-1', actions: ['item.tag'], limit: 10 }));
    expect(tags.total).toBe(SEEDED / 5);
    const created = page(
      await api.call('queryLedger', { caseRef: 'BE-1', search: 'no such words', actions: ['case.create'] }),
    );
    expect(created.rows.map((r) => r.action)).toEqual(['case.create']);
  });

  it('refuses a page larger than 1,000 entries and an unknown case, naming the problem', async () => {
    const big = await api.call('queryLedger', { caseRef: 'BE-1', limit: 5000 });
    expect(!big.ok && big.error.kind).toBe('bad-input');
    const unknown = await api.call('queryLedger', { caseRef: 'NOPE-9' });
    expect(!unknown.ok && unknown.error.kind).toBe('bad-input');
    expect(!unknown.ok && unknown.error.message).toContain('NOPE-9');
  });
});
