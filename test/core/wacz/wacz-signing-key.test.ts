import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import type { Signer } from '../../../electron/core/store/signing-key.js';
import { keyFingerprint } from '../../../electron/core/store/signing-key.js';
import { deriveWaczSigningKey, signDigestHash } from '../../../electron/core/wacz/wacz-signing-key.js';

/** A workstation signer that exposes only `sign`, as a key sealed by the app's keychain does. */
function workstationSigner(): Signer {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return {
    investigatorId: 'investigator',
    keyFingerprint: keyFingerprint(publicKeyPem),
    publicKeyPem,
    sign: (data) => sign(null, data, privateKey),
  };
}

describe('the WACZ signing key', () => {
  test('is the same P-384 key on every derivation from one workstation key, and another for another workstation', () => {
    const signer = workstationSigner();
    const first = deriveWaczSigningKey(signer);
    expect(deriveWaczSigningKey(signer).publicKey).toBe(first.publicKey);
    expect(first.privateKey.asymmetricKeyDetails?.namedCurve).toBe('secp384r1');
    expect(deriveWaczSigningKey(workstationSigner()).publicKey).not.toBe(first.publicKey);
  });

  test("signs the digest's hash string as the recommendation asks: ECDSA SHA-256, r‖s of 96 bytes", () => {
    const key = deriveWaczSigningKey(workstationSigner());
    const hash = `sha256:${'ab'.repeat(32)}`;
    const signature = Buffer.from(signDigestHash(key, hash), 'base64');
    expect(signature).toHaveLength(96);
    const publicKey = { key: Buffer.from(key.publicKey, 'base64'), format: 'der', type: 'spki' } as const;
    expect(verify('sha256', Buffer.from(hash), { ...publicKey, dsaEncoding: 'ieee-p1363' }, signature)).toBe(
      true,
    );
    expect(
      verify('sha256', Buffer.from(`${hash} `), { ...publicKey, dsaEncoding: 'ieee-p1363' }, signature),
    ).toBe(false);
  });
});
