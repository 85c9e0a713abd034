import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { runAudit } from '../../../electron/core/audit/run-audit.js';
import type { EvidenceStore } from '../../../electron/core/store/evidence-store.js';
import { requestPending, stampNewItem, stampNewItems } from '../../../electron/core/timestamp/stamp-queue.js';
import { readChainPem, readTokenDer } from '../../../electron/core/timestamp/token-files.js';
import {
  LEDGER_HEAD,
  listPending,
  listTokensCovering,
} from '../../../electron/core/timestamp/token-queries.js';
import { localTsaForTests, type TsaMode, trustAndAskLocalTsa } from '../../support/local-tsa.js';
import { seedStore } from '../../support/seed-store.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';

const localTsa = localTsaForTests();

const opened: { temp: TempStore; store: EvidenceStore }[] = [];
afterEach(async () => {
  await localTsa().setMode('ok');
  for (const { temp, store } of opened.splice(0)) {
    store.close();
    temp.remove();
  }
});

/** A store with `files` imported items that trusts the test CA and asks the local authority. */
async function storeWithItems(files = 1, authorities = [localTsa().url]) {
  const temp = makeTempStore({ caseNumber: 'TS-1' });
  const seeded = await seedStore(temp, { files });
  const store = temp.open();
  opened.push({ temp, store });
  trustAndAskLocalTsa(store, localTsa(), { authorities });
  return { temp, store, itemIds: seeded.items.map((item) => item.id) };
}

const actions = (store: EvidenceStore) => store.ledger().map((entry) => `${entry.action} ${entry.subject}`);

/** A URL on 127.0.0.1 where nothing listens. */
async function closedUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}/tsa`;
}

describe('stamping items', () => {
  test('an item stamped at once gets a token stored as received, which openssl ts -verify accepts with the stored chain', async () => {
    const { temp, store, itemIds } = await storeWithItems();
    const itemId = itemIds[0] ?? '';
    const result = await stampNewItem(store, itemId);
    expect(result.status).toBe('granted');
    expect(result.tsa).toBe('CN=tsa test authority');
    const [token] = listTokensCovering(store.db, [itemId]);
    expect(token).toMatchObject({
      status: 'granted',
      imprint: store.getItem(itemId).digest,
      tsaUrl: localTsa().url,
    });
    if (!token) throw new Error('no token');
    expect(token.genTime).toBe(result.genTime);
    const tsr = temp.writeFile('item.tsr', await readTokenDer(store.blobs, token));
    const chain = temp.writeFile('chain.pem', await readChainPem(store.blobs, token));
    expect((await readChainPem(store.blobs, token)).match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    const openssl = localTsa().opensslVerify(tsr, token.imprint, { untrusted: chain });
    expect(openssl.output).toContain('Verification: OK');
  });

  test('a granted token appends one timestamp.granted custody entry naming the item, its token and genTime', async () => {
    const { store, itemIds } = await storeWithItems();
    const itemId = itemIds[0] ?? '';
    const before = store.ledger().length;
    const result = await stampNewItem(store, itemId);
    const entries = store.ledger().slice(before);
    expect(entries.map((e) => `${e.action} ${e.subject}`)).toEqual([`timestamp.granted ${itemId}`]);
    expect(entries[0]?.caseId).toBe(store.getItem(itemId).caseId);
    expect(entries[0]?.details).toMatchObject({
      imprint: store.getItem(itemId).digest,
      tsaUrl: localTsa().url,
      genTime: result.genTime,
      tokenSha256: result.tokenSha256,
    });
    expect((await runAudit(store)).problems).toEqual([]);
  });

  test.each<[TsaMode, string]>([
    ['unavailable', 'http-error'],
    ['refused', 'unreachable'],
    ['garbage', 'malformed'],
    ['reject', 'rejected'],
    ['wrong-nonce', 'nonce-mismatch'],
    ['other-digest', 'imprint-mismatch'],
    ['untrusted', 'untrusted-authority'],
    ['hang', 'timeout'],
  ])(
    'when the authority is %s the item stays pending with reason %s, and a later run stamps it',
    async (mode, reason) => {
      const { store, itemIds } = await storeWithItems();
      const itemId = itemIds[0] ?? '';
      await localTsa().setMode(mode);
      // Only the authority that never answers is given a short bound: any other's answer is waited
      // for (the default 15 s), since a bound of its own would race that answer on a loaded machine.
      const result = await stampNewItem(store, itemId, mode === 'hang' ? { timeoutMs: 500 } : {});
      expect(result.status).toBe('pending');
      expect(result.failures.map((f) => f.reason)).toEqual([reason]);
      const [pending] = listTokensCovering(store.db, [itemId]);
      expect(pending).toMatchObject({ status: 'pending', attempts: 1, tokenSha256: null });
      expect(pending?.lastError).toBe(result.failures[0]?.message);
      expect(actions(store)).not.toContain(`timestamp.granted ${itemId}`);

      await localTsa().setMode('ok');
      const later = await requestPending(store);
      expect(later.find((r) => r.covers === itemId)?.status).toBe('granted');
      expect(listTokensCovering(store.db, [itemId]).map((t) => t.status)).toEqual(['granted']);
    },
  );

  test('an authority that fails is asked once per run, not once per pending request', async () => {
    const { store } = await storeWithItems(4);
    await localTsa().setMode('unavailable');
    const before = localTsa().requests;
    const results = await requestPending(store);
    expect(results).toHaveLength(5); // four items and the ledger head
    expect(results.every((r) => r.status === 'pending' && r.failures[0]?.reason === 'http-error')).toBe(true);
    expect(localTsa().requests - before).toBe(1);
  });

  test('the next authority in the list is asked when the first cannot be reached', async () => {
    const down = await closedUrl();
    const { store, itemIds } = await storeWithItems(1, [down, localTsa().url]);
    const result = await stampNewItem(store, itemIds[0] ?? '');
    expect(result).toMatchObject({ status: 'granted', tsaUrl: localTsa().url });
    expect(result.failures).toEqual([]);
    const run = await requestPending(store, { authorities: [down] });
    expect(run.every((r) => r.failures[0]?.tsaUrl === down)).toBe(true);
  });

  test('with no authority configured, new items are queued as pending and nothing is asked', async () => {
    const { store, itemIds } = await storeWithItems(2, []);
    const before = localTsa().requests;
    const results = await stampNewItems(store, itemIds);
    expect(results.map((r) => r.status)).toEqual(['pending', 'pending']);
    expect(localTsa().requests).toBe(before);
    expect(listPending(store.db).map((row) => row.covers)).toEqual(itemIds);
    expect(listPending(store.db).every((row) => row.attempts === 0)).toBe(true);
  });

  test('an item already stamped is not stamped again', async () => {
    const { store, itemIds } = await storeWithItems();
    await stampNewItem(store, itemIds[0] ?? '');
    const before = localTsa().requests;
    await stampNewItem(store, itemIds[0] ?? '');
    expect(localTsa().requests).toBe(before);
    expect(listTokensCovering(store.db, itemIds)).toHaveLength(1);
  });

  test('if the custody entry cannot be written, the token is not recorded either and the item stays pending', async () => {
    const { store, itemIds } = await storeWithItems();
    const itemId = itemIds[0] ?? '';
    // A fresh handle has not loaded the signing key yet; hide the key so the custody entry fails.
    store.close();
    const reopened = opened[0]?.temp.open() as EvidenceStore;
    opened[0] = { temp: opened[0]?.temp as TempStore, store: reopened };
    const keyFile = path.join(reopened.layout.keys, `${reopened.requireInvestigator().keyFingerprint}.pem`);
    fs.renameSync(keyFile, `${keyFile}.away`);
    const entries = reopened.ledger().length;
    try {
      const result = await stampNewItem(reopened, itemId);
      expect(result.status).toBe('pending');
      expect(result.failures[0]?.reason).toBe('internal');
    } finally {
      fs.renameSync(`${keyFile}.away`, keyFile);
    }
    expect(listTokensCovering(reopened.db, [itemId]).map((t) => t.status)).toEqual(['pending']);
    expect(reopened.ledger()).toHaveLength(entries);
  });
});

describe('stamping the ledger head', () => {
  test('a run stamps the head after the items, covering their own custody entries, and a second run asks nothing', async () => {
    const { store, itemIds } = await storeWithItems(2);
    const results = await requestPending(store);
    expect(results.map((r) => `${r.covers} ${r.status}`)).toEqual([
      ...itemIds.map((id) => `${id} granted`),
      `${LEDGER_HEAD} granted`,
    ]);
    const ledger = store.ledger();
    const head = results.at(-1);
    // The head stamped is the last item's timestamp.granted entry; the head's own entry follows it.
    expect(ledger.at(-2)?.hash).toBe(head?.imprint);
    expect(ledger.at(-2)?.action).toBe('timestamp.granted');
    expect(ledger.at(-1)).toMatchObject({ action: 'timestamp.granted', subject: LEDGER_HEAD, caseId: null });
    expect(ledger.at(-1)?.details).toMatchObject({ headSeq: ledger.at(-2)?.seq });

    const before = localTsa().requests;
    expect(await requestPending(store)).toEqual([]);
    expect(localTsa().requests).toBe(before);
    store.addNote(itemIds[0] ?? '', 'checked again');
    expect((await requestPending(store)).map((r) => r.covers)).toEqual([LEDGER_HEAD]);
  });

  test('items committed without a request (as after a crash) are queued and stamped by the next run', async () => {
    const { store, itemIds } = await storeWithItems(2, []);
    expect(listTokensCovering(store.db, itemIds)).toEqual([]);
    const results = await requestPending(store, { authorities: [localTsa().url] });
    expect(results.filter((r) => r.status === 'granted').map((r) => r.covers)).toEqual([
      ...itemIds,
      LEDGER_HEAD,
    ]);
  });
});
