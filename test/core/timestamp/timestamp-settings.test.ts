import tls from 'node:tls';
import { afterEach, describe, expect, test } from 'vitest';
import { CustosError } from '../../../electron/core/errors.js';
import { parseCertificate, pemCertificatesToDer } from '../../../electron/core/timestamp/certificates.js';
import {
  addTrustedRoots,
  configuredAuthorities,
  listTrustedRoots,
  setAuthorities,
  userTrustedRoots,
} from '../../../electron/core/timestamp/timestamp-settings.js';
import { trustAnchors } from '../../../electron/core/timestamp/trusted-roots.js';
import { localTsaForTests } from '../../support/local-tsa.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';

const localTsa = localTsaForTests();
let temp: TempStore;
afterEach(() => temp?.remove());

describe('per-store timestamp settings', () => {
  test('the authority list starts empty, is kept in order, and each change is a custody entry', () => {
    temp = makeTempStore();
    const store = temp.open();
    try {
      expect(configuredAuthorities(store.db)).toEqual([]);
      setAuthorities(store, ['http://127.0.0.1:1/a', 'https://127.0.0.1:2/b']);
      expect(configuredAuthorities(store.db)).toEqual(['http://127.0.0.1:1/a', 'https://127.0.0.1:2/b']);
      expect(store.ledger().at(-1)).toMatchObject({
        action: 'timestamp.authorities',
        details: { authorities: ['http://127.0.0.1:1/a', 'https://127.0.0.1:2/b'] },
      });
    } finally {
      store.close();
    }
  });

  test('an authority that is not an http(s) URL is refused as bad input and nothing is saved', () => {
    temp = makeTempStore();
    const store = temp.open();
    try {
      const entries = store.ledger().length;
      for (const bad of ['not a url', 'ftp://127.0.0.1/tsa', 'file:///etc/passwd']) {
        let error: unknown;
        try {
          setAuthorities(store, ['http://127.0.0.1:1/ok', bad]);
        } catch (caught) {
          error = caught;
        }
        expect(error).toBeInstanceOf(CustosError);
        expect((error as CustosError).kind).toBe('bad-input');
        expect((error as CustosError).message).toContain(bad);
      }
      expect(configuredAuthorities(store.db)).toEqual([]);
      expect(store.ledger()).toHaveLength(entries);
    } finally {
      store.close();
    }
  });

  test('a root added twice is kept once, with its subject and fingerprint, and a PEM without certificates is refused', () => {
    temp = makeTempStore();
    const store = temp.open();
    try {
      const added = addTrustedRoots(store, localTsa().caPem, 'ca.pem');
      expect(added).toEqual([
        { subject: 'CN=Custos Test Root CA', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
      ]);
      expect(addTrustedRoots(store, localTsa().caPem, 'ca.pem')).toEqual([]);
      expect(listTrustedRoots(store.db)).toEqual(added);
      expect(userTrustedRoots(store.db)).toEqual([localTsa().caPem]);
      expect(store.ledger().filter((e) => e.action === 'timestamp.root-added')).toHaveLength(1);
      expect(() => addTrustedRoots(store, 'hello', 'notes.txt')).toThrow(
        /notes.txt holds no PEM certificate/,
      );
    } finally {
      store.close();
    }
  });
});

describe('trust anchors', () => {
  test("Node's roots are offered as anchors only when one of them issued a certificate of the token", () => {
    const nodeRoot = tls.rootCertificates[0] ?? '';
    const certificate = parseCertificate(pemCertificatesToDer(nodeRoot)[0] ?? Buffer.alloc(0));
    expect(trustAnchors([], [certificate])).toHaveLength(1);
    expect(trustAnchors([], [certificate], { includeSystemRoots: false })).toEqual([]);
    const testCa = parseCertificate(pemCertificatesToDer(localTsa().caPem)[0] ?? Buffer.alloc(0));
    expect(trustAnchors([], [testCa])).toEqual([]);
    expect(trustAnchors([localTsa().caPem], [testCa])).toHaveLength(1);
  });
});
