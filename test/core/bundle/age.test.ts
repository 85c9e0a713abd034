import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { readIdentityFile } from '../../../electron/core/bundle/age-seal.js';
import type { ExportResult } from '../../../electron/core/bundle/export-bundle.js';
import { verifyBundle } from '../../../electron/core/bundle/verify-bundle.js';
import { type CaseFixture, makeCaseFixture } from './bundle-fixtures.js';

/** Sealing with age: what Custos seals, Debian's `age` opens, and the other way round. */
describe('bundles sealed with age', () => {
  let fixture: CaseFixture;
  let plain: ExportResult;
  let keyFile: string;
  let recipient: string;
  let sealed: ExportResult;
  beforeAll(async () => {
    fixture = await makeCaseFixture();
    plain = await fixture.exportTo('plain.zip');
    keyFile = path.join(fixture.temp.base, 'key.txt');
    execFileSync('age-keygen', ['-o', keyFile], { stdio: 'pipe' });
    recipient = execFileSync('age-keygen', ['-y', keyFile], { encoding: 'utf8' }).trim();
    // One export sealed for the recipient (an export prints the report: seconds); the tests that
    // damage or read it use copies of their own.
    sealed = await fixture.exportTo('sealed.zip.age', { seal: { recipients: [recipient] } });
  }, 120_000);

  /** A copy of the export sealed for the recipient, under `name`, for a test to alter or read. */
  function copyOfSealed(name: string): string {
    const file = path.join(fixture.temp.base, name);
    fs.copyFileSync(sealed.file, file);
    return file;
  }
  afterAll(() => fixture.temp.remove());

  test('a bundle sealed for a recipient decrypts with the age tool, and the ZIP inside verifies', async () => {
    expect(sealed.sealed).toBe(true);
    expect(fs.readFileSync(sealed.file).subarray(0, 21).toString()).toBe('age-encryption.org/v1');
    const opened = path.join(fixture.temp.base, 'opened.zip');
    execFileSync('age', ['-d', '-i', keyFile, '-o', opened, sealed.file]);
    expect(execFileSync('sha256sum', [opened], { encoding: 'utf8' }).slice(0, 64)).toBe(sealed.zipSha256);
    expect((await verifyBundle(opened, { expectSigner: sealed.signer })).valid).toBe(true);
    const direct = await verifyBundle(sealed.file, { seal: { identities: readIdentityFile(keyFile) } });
    expect(direct.problems).toEqual([]);
    expect(direct.sealed).toBe(true);
  });

  test('a bundle sealed by the age tool verifies with --identity', async () => {
    const sealed = path.join(fixture.temp.base, 'by-age.zip.age');
    execFileSync('age', ['-r', recipient, '-o', sealed, plain.file]);
    const report = await verifyBundle(sealed, {
      seal: { identities: readIdentityFile(keyFile) },
      expectSigner: plain.signer,
    });
    expect(report.valid).toBe(true);
  });

  test('a passphrase seals and opens; a wrong passphrase or no key is a clear bad-input error', async () => {
    const byPassphrase = await fixture.exportTo('pass.zip.age', {
      seal: { passphrase: 'correct horse battery staple' },
    });
    expect(
      (await verifyBundle(byPassphrase.file, { seal: { passphrase: 'correct horse battery staple' } })).valid,
    ).toBe(true);
    await expect(verifyBundle(byPassphrase.file, { seal: { passphrase: 'wrong' } })).rejects.toMatchObject({
      kind: 'bad-input',
      message: expect.stringMatching(/cannot open .*pass\.zip\.age: the passphrase is wrong/),
    });
    await expect(verifyBundle(byPassphrase.file)).rejects.toMatchObject({
      kind: 'bad-input',
      message: expect.stringMatching(/sealed with age; pass --identity FILE or --passphrase-file FILE/),
    });
  }, 120_000);

  test('a sealed file whose ciphertext was altered is reported as tampering', async () => {
    const altered = copyOfSealed('altered.zip.age');
    const data = fs.readFileSync(altered);
    data.writeUInt8(data.readUInt8(data.length - 100) ^ 0x01, data.length - 100);
    fs.writeFileSync(altered, data);
    await expect(
      verifyBundle(altered, { seal: { identities: readIdentityFile(keyFile) } }),
    ).rejects.toMatchObject({
      kind: 'integrity',
      message: expect.stringMatching(/damaged or was tampered with/),
    });
  });

  test("a read of the .age file failing with an error that is not a device's (a network share dropped: ECONNRESET) is that read's failure, exit 3, never a wrong key or tampering", async () => {
    const onShare = copyOfSealed('share.zip.age');
    const createReadStream = fs.createReadStream.bind(fs);
    const reset = Object.assign(new Error('ECONNRESET: connection reset by peer, read'), {
      code: 'ECONNRESET',
      syscall: 'read',
    });
    try {
      // At its first byte (the header: the key's check) and part way through the payload.
      for (const after of [0, Math.floor(fs.statSync(onShare).size / 2)]) {
        vi.spyOn(fs, 'createReadStream').mockImplementation(((file: fs.PathLike, options?: object) => {
          if (file !== onShare) return createReadStream(file, options as never);
          let head = fs.readFileSync(onShare).subarray(0, after);
          return new Readable({
            read() {
              if (head.length === 0) return this.destroy(reset);
              this.push(head);
              head = Buffer.alloc(0);
            },
          });
        }) as typeof fs.createReadStream);
        const failure = await verifyBundle(onShare, {
          seal: { identities: readIdentityFile(keyFile) },
        }).catch((error: unknown) => error);
        vi.restoreAllMocks();
        expect(failure, `after ${after} bytes`).toMatchObject({
          kind: 'failure',
          message: expect.stringContaining('ECONNRESET'),
        });
        expect((failure as Error).message).not.toMatch(/passphrase|recipient|tampered/);
      }
    } finally {
      vi.restoreAllMocks();
    }
  });

  test('an invalid recipient or both sealing methods are refused before anything is written', async () => {
    await expect(fixture.exportTo('bad.age', { seal: { recipients: ['age1notakey'] } })).rejects.toThrow(
      /is not an age recipient/,
    );
    await expect(
      fixture.exportTo('both.age', { seal: { recipients: [recipient], passphrase: 'x' } }),
    ).rejects.toThrow(/not both/);
    expect(fs.existsSync(path.join(fixture.temp.base, 'bad.age'))).toBe(false);
  });
});
