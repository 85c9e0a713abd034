import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, verify } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import canonicalize from 'canonicalize';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type LedgerRow, readLedgerRows, signedBody } from '../../support/ledger-rows.js';
import { type SeededEvidence, seedStore } from '../../support/seed-store.js';
import { openRawDatabase } from '../../support/sqlite.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';

describe('the custody ledger on disk', () => {
  let temp: TempStore;
  let seeded: SeededEvidence;
  let rows: LedgerRow[];
  let investigator: {
    id: string;
    name: string;
    agency: string | null;
    badge: string | null;
    public_key_pem: string;
    key_fingerprint: string;
  };

  beforeAll(async () => {
    temp = makeTempStore({ caseNumber: 'LED-1' });
    seeded = await seedStore(temp, { files: 2 });
    rows = readLedgerRows(temp.dir);
    const db = openRawDatabase(temp.dir, { readonly: true });
    try {
      investigator = db.prepare('SELECT * FROM investigators').get() as typeof investigator;
    } finally {
      db.close();
    }
  });
  afterAll(() => temp.remove());

  test('holds one entry for each action, numbered from 1 without gaps', () => {
    expect(rows.map((r) => r.action)).toEqual([
      'store.init',
      'case.create',
      'item.import',
      'item.import',
      'item.note',
      'item.tag',
    ]);
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(seeded.headSeq).toBe(6);
  });

  test('each entry records UTC time with milliseconds, the time zone and the actor', () => {
    for (const row of rows) {
      expect(row.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(row.time_zone).not.toBe('');
      expect(row.investigator_id).toBe(investigator.id);
      expect(row.key_fingerprint).toBe(investigator.key_fingerprint);
    }
    expect(JSON.parse(rows[0]?.details ?? '{}')).toMatchObject({
      investigator: { name: investigator.name, agency: investigator.agency, badge: investigator.badge },
      keyFingerprint: investigator.key_fingerprint,
      publicKeyPem: investigator.public_key_pem,
    });
  });

  test('each entry hash is the SHA-256 of its body as RFC 8785 canonical JSON', () => {
    for (const row of rows) {
      expect({
        seq: row.seq,
        hash: createHash('sha256').update(signedBody(row), 'utf8').digest('hex'),
      }).toEqual({
        seq: row.seq,
        hash: row.hash,
      });
    }
    // details are stored canonical too: keys sorted, no whitespace.
    for (const row of rows) expect(row.details).toBe(canonicalize(JSON.parse(row.details)));
  });

  test('each entry links to the hash of the one before it, the first to 64 zeros', () => {
    expect(rows[0]?.prev_hash).toBe('0'.repeat(64));
    for (let i = 1; i < rows.length; i++) expect(rows[i]?.prev_hash).toBe(rows[i - 1]?.hash);
  });

  test("each signature verifies with node:crypto against the investigator's Ed25519 public key", () => {
    for (const row of rows) {
      const signature = Buffer.from(row.signature, 'base64');
      expect(signature).toHaveLength(64);
      expect(verify(null, Buffer.from(signedBody(row), 'utf8'), investigator.public_key_pem, signature)).toBe(
        true,
      );
      expect(
        verify(null, Buffer.from(`${signedBody(row)} `, 'utf8'), investigator.public_key_pem, signature),
      ).toBe(false);
    }
  });

  test('each signature verifies with openssl pkeyutl, and a changed body does not', () => {
    const dir = fs.mkdtempSync(path.join(temp.base, 'openssl-'));
    const key = path.join(dir, 'key.pem');
    fs.writeFileSync(key, investigator.public_key_pem);
    for (const row of rows) {
      const body = path.join(dir, `${row.seq}.json`);
      const sig = path.join(dir, `${row.seq}.sig`);
      fs.writeFileSync(body, signedBody(row));
      fs.writeFileSync(sig, Buffer.from(row.signature, 'base64'));
      const ok = spawnSync(
        'openssl',
        ['pkeyutl', '-verify', '-pubin', '-inkey', key, '-rawin', '-in', body, '-sigfile', sig],
        {
          encoding: 'utf8',
        },
      );
      expect({ seq: row.seq, status: ok.status, out: ok.stdout.trim() }).toEqual({
        seq: row.seq,
        status: 0,
        out: 'Signature Verified Successfully',
      });
    }
    const last = rows.at(-1) as LedgerRow;
    const forged = path.join(dir, 'forged.json');
    fs.writeFileSync(forged, signedBody({ ...last, details: JSON.stringify({ tag: 'not-boat' }) }));
    const bad = spawnSync(
      'openssl',
      [
        'pkeyutl',
        '-verify',
        '-pubin',
        '-inkey',
        key,
        '-rawin',
        '-in',
        forged,
        '-sigfile',
        path.join(dir, `${last.seq}.sig`),
      ],
      { encoding: 'utf8' },
    );
    expect(bad.status).not.toBe(0);
    expect(bad.stdout).toContain('Signature Verification Failure');
  });

  test("the key fingerprint is the SHA-256 of the public key's DER, as openssl computes it", () => {
    const der = execFileSync('openssl', ['pkey', '-pubin', '-outform', 'DER'], {
      input: investigator.public_key_pem,
    });
    expect(createHash('sha256').update(der).digest('hex')).toBe(investigator.key_fingerprint);
  });
});
