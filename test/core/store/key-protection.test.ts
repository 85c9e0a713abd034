import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiService } from '../../../electron/core/api/api-service.js';
import { runAudit } from '../../../electron/core/audit/run-audit.js';
import { CustosError } from '../../../electron/core/errors.js';
import { importFile } from '../../../electron/core/import/import-file.js';
import { EvidenceStore } from '../../../electron/core/store/evidence-store.js';
import {
  generateSigningKey,
  type KeyProtector,
  keyProtection,
  loadSigner,
  privateKeyPath,
  sealedKeyPath,
  setKeyProtection,
  verifySignature,
} from '../../../electron/core/store/signing-key.js';
import { runCustos } from '../../support/run-custos.js';
import { openRawDatabase } from '../../support/sqlite.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';

/**
 * THE TEST PROTECTOR: AES-256-GCM under a key held in this process, standing in for the OS
 * keychain that Electron's safeStorage uses in the app (electron/main/safe-storage-protector.ts).
 */
function testProtector(options: { unavailable?: string; id?: string } = {}): KeyProtector {
  const key = randomBytes(32);
  return {
    id: options.id ?? 'test-protector',
    unavailable: () => options.unavailable ?? null,
    seal: (plain) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    unseal: (sealed) => {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
      decipher.setAuthTag(sealed.subarray(12, 28));
      return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]);
    },
  };
}

const CASE = 'KP-2026-1';
let temp: TempStore;
let keysDir: string;
let fingerprint: string;
let investigator: { id: string; keyFingerprint: string; publicKeyPem: string };

beforeEach(() => {
  temp = makeTempStore({ caseNumber: CASE });
  const store = temp.open();
  const inv = store.requireInvestigator();
  investigator = { id: inv.id, keyFingerprint: inv.keyFingerprint, publicKeyPem: inv.publicKeyPem };
  fingerprint = inv.keyFingerprint;
  keysDir = store.layout.keys;
  store.close();
});

afterEach(() => temp.remove());

function signsAsInvestigator(protector?: KeyProtector): boolean {
  const data = Buffer.from('custody entry');
  const signature = loadSigner(keysDir, investigator, protector).sign(data);
  return verifySignature(investigator.publicKeyPem, data, signature);
}

describe('key protection: the signing key sealed by the app’s keychain', () => {
  it('replaces the key file by a sealed one that holds no readable key, and signs as the same investigator', () => {
    const protector = testProtector();
    const pem = fs.readFileSync(privateKeyPath(keysDir, fingerprint), 'utf8');
    expect(setKeyProtection(keysDir, fingerprint, 'keychain', protector)).toBe('keychain');
    expect(fs.existsSync(privateKeyPath(keysDir, fingerprint))).toBe(false);
    const sealed = fs.readFileSync(sealedKeyPath(keysDir, fingerprint), 'utf8');
    expect(JSON.parse(sealed)).toMatchObject({
      format: 'custos.sealed-key',
      fingerprint,
      protector: 'test-protector',
    });
    expect(sealed).not.toContain('PRIVATE KEY');
    expect(sealed).not.toContain(pem.split('\n')[1]);
    expect(fs.statSync(sealedKeyPath(keysDir, fingerprint)).mode & 0o077).toBe(0);
    expect(signsAsInvestigator(protector)).toBe(true);
    expect(fs.readdirSync(keysDir).sort()).toEqual([`${fingerprint}.sealed`]);
  });

  it('lets the app add evidence with the sealed key; the command line refuses to sign (exit 3, naming what to do) but audits and reads', async () => {
    const protector = testProtector();
    // The store opened as the app opens it, with its keychain.
    const app = EvidenceStore.openForWriting(temp.dir, { keyProtector: protector });
    expect(app.setKeyProtection('keychain')).toBe('keychain');
    const note = temp.writeFile('note.txt', 'seller phone +218 91 000 0000\n');
    const item = await importFile(app, CASE, note);
    expect(app.addNote(item.id, 'seen in the group chat').action).toBe('item.note');
    expect((await runAudit(app)).problems).toEqual([]);
    app.close();

    const imported = await runCustos(['import', note, '--case', CASE], { store: temp.dir });
    expect(imported.status).toBe(3);
    expect(imported.stderr).toMatch(/sealed by the Custos desktop app's key protection/);
    expect(imported.stderr).toMatch(/turn key protection off there \(Settings, Key protection\)/);
    expect(keyProtection(keysDir, fingerprint)).toBe('keychain');

    const audit = await runCustos(['audit'], { store: temp.dir });
    expect(audit.stderr).toBe('');
    expect(audit.status).toBe(0);
    const cases = await runCustos(['case', 'list'], { store: temp.dir });
    expect(cases.status).toBe(0);
    expect(cases.stdout).toContain(CASE);
  }, 120_000);

  it('turns back into a key file the command line signs with again', async () => {
    const protector = testProtector();
    setKeyProtection(keysDir, fingerprint, 'keychain', protector);
    expect(setKeyProtection(keysDir, fingerprint, 'file', protector)).toBe('file');
    expect(fs.readdirSync(keysDir)).toEqual([`${fingerprint}.pem`]);
    expect(fs.statSync(privateKeyPath(keysDir, fingerprint)).mode & 0o077).toBe(0);
    expect(signsAsInvestigator()).toBe(true);
    const note = temp.writeFile('back.txt', 'after the switch back\n');
    const imported = await runCustos(['import', note, '--case', CASE], { store: temp.dir });
    expect(imported.status).toBe(0);
    expect(imported.stderr).toMatch(/imported .*back\.txt → item/);
  }, 60_000);

  it('survives a crash between writing the sealed file and removing the key file: signs, and the switch finishes when run again', () => {
    const protector = testProtector();
    const pem = fs.readFileSync(privateKeyPath(keysDir, fingerprint));
    setKeyProtection(keysDir, fingerprint, 'keychain', protector);
    // The state a crash right after the rename leaves: both files.
    fs.writeFileSync(privateKeyPath(keysDir, fingerprint), pem, { mode: 0o600 });
    expect(keyProtection(keysDir, fingerprint)).toBe('file');
    expect(signsAsInvestigator()).toBe(true);
    expect(setKeyProtection(keysDir, fingerprint, 'keychain', protector)).toBe('keychain');
    expect(fs.readdirSync(keysDir)).toEqual([`${fingerprint}.sealed`]);
  });

  it('survives a crash while the new file is being written: the half-written file is ignored', () => {
    const protector = testProtector();
    fs.writeFileSync(`${sealedKeyPath(keysDir, fingerprint)}.tmp-4242`, '{"format":"custos.sea');
    expect(signsAsInvestigator()).toBe(true);
    expect(setKeyProtection(keysDir, fingerprint, 'keychain', protector)).toBe('keychain');
    expect(signsAsInvestigator(protector)).toBe(true);
    expect(fs.readdirSync(keysDir)).toEqual([`${fingerprint}.sealed`]);
  });

  it('leaves no plain copy of the key behind when a crashed switch back to a file left one half-written', () => {
    const protector = testProtector();
    const pem = fs.readFileSync(privateKeyPath(keysDir, fingerprint), 'utf8');
    fs.writeFileSync(`${privateKeyPath(keysDir, fingerprint)}.tmp-4243`, pem.slice(0, 120), { mode: 0o600 });
    expect(setKeyProtection(keysDir, fingerprint, 'keychain', protector)).toBe('keychain');
    expect(fs.readdirSync(keysDir)).toEqual([`${fingerprint}.sealed`]);
  });

  it('keeps the key file when the sealed copy does not open to the same key', () => {
    const honest = testProtector();
    const broken: KeyProtector = { ...honest, unseal: () => Buffer.from('not a key') };
    expect(() => setKeyProtection(keysDir, fingerprint, 'keychain', broken)).toThrow();
    expect(fs.existsSync(privateKeyPath(keysDir, fingerprint))).toBe(true);
    expect(signsAsInvestigator()).toBe(true);
  });

  it('refuses, changing nothing, where the keychain is not available, and a key sealed by another keychain', () => {
    expect(() =>
      setKeyProtection(
        keysDir,
        fingerprint,
        'keychain',
        testProtector({ unavailable: 'no OS keychain is running' }),
      ),
    ).toThrow(/cannot be turned on here: no OS keychain is running/);
    expect(fs.readdirSync(keysDir)).toEqual([`${fingerprint}.pem`]);
    setKeyProtection(keysDir, fingerprint, 'keychain', testProtector());
    expect(() => loadSigner(keysDir, investigator, testProtector({ id: 'other-keychain' }))).toThrow(
      /sealed by test-protector, not by other-keychain/,
    );
  });
});

describe('key protection through the API', () => {
  it('reports the key as a file, seals it and turns it back with the app’s protector, and goes on signing', async () => {
    const service = createApiService({ storeDir: temp.dir, keyProtector: testProtector() });
    try {
      expect(await service.call('getKeyProtection', {})).toEqual({
        ok: true,
        value: { state: 'file', available: true, reason: null },
      });
      expect(await service.call('setKeyProtection', { protect: true })).toMatchObject({
        ok: true,
        value: { state: 'keychain' },
      });
      // Still signs: a new case is a signed custody entry.
      expect(await service.call('createCase', { number: 'KP-2026-2', title: 'After sealing' })).toMatchObject(
        {
          ok: true,
        },
      );
      expect(await service.call('setKeyProtection', { protect: false })).toMatchObject({
        ok: true,
        value: { state: 'file' },
      });
      expect(await service.call('setKeyProtection', { protect: 'yes' })).toMatchObject({
        ok: false,
        error: { kind: 'bad-input' },
      });
    } finally {
      service.close();
    }
  });

  it('says why it cannot switch where there is no keychain (the browser harness, the command line)', async () => {
    const service = createApiService({ storeDir: temp.dir });
    try {
      expect(await service.call('getKeyProtection', {})).toMatchObject({
        ok: true,
        value: { state: 'file', available: false, reason: expect.stringMatching(/desktop app/) },
      });
      expect(await service.call('setKeyProtection', { protect: true })).toMatchObject({
        ok: false,
        error: { kind: 'bad-input', message: expect.stringMatching(/desktop app/) },
      });
      expect(fs.readdirSync(keysDir)).toEqual([`${fingerprint}.pem`]);
    } finally {
      service.close();
    }
  });
});

describe('a swapped sealed key', () => {
  function ledgerLength(): number {
    const db = openRawDatabase(temp.dir, { readonly: true });
    try {
      return db.prepare('SELECT count(*) FROM ledger').pluck().get() as number;
    } finally {
      db.close();
    }
  }

  /** Seals another Ed25519 key with the same protector in place of the store's, as a bad restore or an attacker with the keychain would. */
  function swapSealedKey(protector: KeyProtector): string {
    const other = generateSigningKey();
    const file = sealedKeyPath(keysDir, fingerprint);
    const sealedFile = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    sealedFile.sealed = protector.seal(Buffer.from(other.privateKeyPem, 'utf8')).toString('base64');
    fs.chmodSync(file, 0o600);
    fs.writeFileSync(file, `${JSON.stringify(sealedFile, null, 2)}\n`);
    return other.fingerprint;
  }

  it('is refused when the app opens the store for writing: an integrity failure (exit 1) naming both fingerprints, nothing written', () => {
    const protector = testProtector();
    setKeyProtection(keysDir, fingerprint, 'keychain', protector);
    const otherFingerprint = swapSealedKey(protector);
    const entries = ledgerLength();

    let thrown: unknown;
    try {
      EvidenceStore.openForWriting(temp.dir, { keyProtector: protector }).close();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CustosError);
    expect((thrown as CustosError).kind).toBe('integrity');
    expect((thrown as CustosError).message).toContain(otherFingerprint);
    expect((thrown as CustosError).message).toContain(fingerprint);
    expect((thrown as CustosError).message).toContain(`${fingerprint}.sealed holds another key`);
    expect((thrown as CustosError).message).toMatch(/nothing was written/);
    expect(ledgerLength()).toBe(entries);
  });

  it('is an integrity failure when a signer is loaded from it, not "cannot unseal": the swapped key never signs', () => {
    const protector = testProtector();
    setKeyProtection(keysDir, fingerprint, 'keychain', protector);
    swapSealedKey(protector);
    let thrown: unknown;
    try {
      signsAsInvestigator(protector);
    } catch (error) {
      thrown = error;
    }
    expect((thrown as CustosError).kind).toBe('integrity');
    expect((thrown as CustosError).message).toMatch(/holds another key/);
  });

  it('a keychain that cannot unseal (another protector) is not called tampering: the write fails with exit-3 kind when it signs', () => {
    setKeyProtection(keysDir, fingerprint, 'keychain', testProtector());
    const store = EvidenceStore.openForWriting(temp.dir, { keyProtector: testProtector() });
    try {
      expect(() => store.signer()).toThrow(/cannot unseal/);
    } finally {
      store.close();
    }
  });
});
