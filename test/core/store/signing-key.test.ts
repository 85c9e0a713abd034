import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadSigner, privateKeyPath } from '../../../electron/core/store/signing-key.js';
import { openRawDatabase } from '../../support/sqlite.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';

describe("the workstation's signing key", () => {
  let temp: TempStore;
  let investigator: { id: string; key_fingerprint: string; public_key_pem: string };

  beforeAll(() => {
    temp = makeTempStore();
    const db = openRawDatabase(temp.dir, { readonly: true });
    try {
      investigator = db
        .prepare('SELECT id, key_fingerprint, public_key_pem FROM investigators')
        .get() as typeof investigator;
    } finally {
      db.close();
    }
  });
  afterAll(() => temp.remove());

  test('init writes the private key inside the store, readable by its owner only (0600, folder 0700)', () => {
    const keys = path.join(temp.dir, 'keys');
    const file = privateKeyPath(keys, investigator.key_fingerprint);
    expect(fs.readdirSync(keys)).toEqual([path.basename(file)]);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(keys).mode & 0o777).toBe(0o700);
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
  });

  test('the stored private key is the one whose public key is on record (openssl derives the same)', () => {
    const file = privateKeyPath(path.join(temp.dir, 'keys'), investigator.key_fingerprint);
    const derived = execFileSync('openssl', ['pkey', '-in', file, '-pubout'], { encoding: 'utf8' });
    expect(derived).toBe(investigator.public_key_pem);
    expect(execFileSync('openssl', ['pkey', '-in', file, '-noout', '-text'], { encoding: 'utf8' })).toMatch(
      /ED25519 Private-Key/,
    );
  });

  test('the signer signs exactly as openssl does with the same key (Ed25519 is deterministic)', () => {
    const signer = loadSigner(path.join(temp.dir, 'keys'), {
      id: investigator.id,
      keyFingerprint: investigator.key_fingerprint,
      publicKeyPem: investigator.public_key_pem,
    });
    const message = path.join(temp.base, 'message.txt');
    fs.writeFileSync(message, 'custody entry body');
    const byOpenssl = execFileSync('openssl', [
      'pkeyutl',
      '-sign',
      '-inkey',
      privateKeyPath(path.join(temp.dir, 'keys'), investigator.key_fingerprint),
      '-rawin',
      '-in',
      message,
    ]);
    expect(signer.sign(fs.readFileSync(message)).equals(byOpenssl)).toBe(true);
  });

  test('a missing private key is a clear failure that says what to do', () => {
    expect(() =>
      loadSigner(path.join(temp.base, 'no-keys-here'), {
        id: investigator.id,
        keyFingerprint: investigator.key_fingerprint,
        publicKeyPem: investigator.public_key_pem,
      }),
    ).toThrow(/cannot read this workstation's signing key .*restore it from backup/);
  });
});
