import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { operationFailure } from '../errors.js';
import { sha256Hex } from './canonical-json.js';

/** Signs custody entries and manifests on behalf of one investigator's key. */
export interface Signer {
  readonly investigatorId: string;
  readonly keyFingerprint: string;
  readonly publicKeyPem: string;
  sign(data: Uint8Array): Buffer;
}

/** A new Ed25519 key pair: the private key as PKCS#8 PEM, the public one as SPKI PEM. */
export function generateSigningKey(): { privateKeyPem: string; publicKeyPem: string; fingerprint: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem,
    fingerprint: keyFingerprint(publicKeyPem),
  };
}

/** SHA-256 (hex) of a public key's SPKI DER bytes: the same as `openssl pkey -pubin -outform DER | sha256sum`. */
export function keyFingerprint(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  return sha256Hex(der);
}

/** The private key file of a fingerprint in the store's keys folder. */
export function privateKeyPath(keysDir: string, fingerprint: string): string {
  return path.join(keysDir, `${fingerprint}.pem`);
}

/** Writes a private key readable by its owner only (0600), never overwriting an existing one. */
export function savePrivateKey(keysDir: string, fingerprint: string, privateKeyPem: string): void {
  fs.mkdirSync(keysDir, { recursive: true, mode: 0o700 });
  const file = privateKeyPath(keysDir, fingerprint);
  const fd = fs.openSync(file, 'wx', 0o600);
  try {
    fs.writeSync(fd, privateKeyPem);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** A signer over the private key stored for this investigator. */
export function loadSigner(
  keysDir: string,
  investigator: { id: string; keyFingerprint: string; publicKeyPem: string },
): Signer {
  const file = privateKeyPath(keysDir, investigator.keyFingerprint);
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKeyFromFile(file);
  } catch (error) {
    throw operationFailure(
      `cannot read this workstation's signing key ${file}: ${(error as Error).message}; restore it from backup (without it nothing can be signed)`,
    );
  }
  return {
    investigatorId: investigator.id,
    keyFingerprint: investigator.keyFingerprint,
    publicKeyPem: investigator.publicKeyPem,
    sign: (data) => sign(null, data, privateKey),
  };
}

function createPrivateKeyFromFile(file: string): KeyObject {
  return createPrivateKey(fs.readFileSync(file));
}

// Parsing a PEM costs several times more than an Ed25519 check: an audit of thousands of entries
// signed by a handful of keys parses each key once.
const publicKeys = new Map<string, KeyObject>();

/** Checks an Ed25519 signature against a public key. */
export function verifySignature(publicKeyPem: string, data: Uint8Array, signature: Uint8Array): boolean {
  try {
    let key = publicKeys.get(publicKeyPem);
    if (!key) {
      key = createPublicKey(publicKeyPem);
      if (publicKeys.size < 1000) publicKeys.set(publicKeyPem, key);
    }
    return verify(null, data, key, signature);
  } catch {
    return false;
  }
}
