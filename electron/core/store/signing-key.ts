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
import { badInput, errorSaying, operationFailure } from '../errors.js';
import { sha256Hex } from './canonical-json.js';
import { fsyncFolder, removeDurably, writeDurably } from './durable-file.js';

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

/**
 * What seals the private key when key protection is on: the desktop app's OS keychain
 * (Electron's `safeStorage`; electron/main/safe-storage-protector.ts). Synchronous, as signing is.
 */
export interface KeyProtector {
  /** Names the protection in the sealed file, e.g. `electron-safe-storage`. */
  readonly id: string;
  /** Why it cannot be used on this machine now, or null when it can (e.g. no keychain on Linux). */
  unavailable(): string | null;
  seal(plain: Buffer): Buffer;
  unseal(sealed: Buffer): Buffer;
}

/** How the private key is kept: a PEM file (any Custos program can sign), or sealed by the app's keychain. */
export type KeyProtection = 'file' | 'keychain' | 'missing';

/** The sealed key file of a fingerprint: JSON naming the protector, the sealed bytes in base64. */
export function sealedKeyPath(keysDir: string, fingerprint: string): string {
  return path.join(keysDir, `${fingerprint}.sealed`);
}

interface SealedKeyFile {
  readonly format: 'custos.sealed-key';
  readonly version: 1;
  readonly fingerprint: string;
  readonly protector: string;
  readonly sealed: string;
}

/**
 * Which form the key has on disk. A plain PEM wins when both exist: a switch interrupted after the
 * new file was written and before the old one was removed still signs, and is finished next time.
 */
export function keyProtection(keysDir: string, fingerprint: string): KeyProtection {
  if (fs.existsSync(privateKeyPath(keysDir, fingerprint))) return 'file';
  if (fs.existsSync(sealedKeyPath(keysDir, fingerprint))) return 'keychain';
  return 'missing';
}

/** A signer over the private key stored for this investigator (sealed keys need the app's protector). */
export function loadSigner(
  keysDir: string,
  investigator: { id: string; keyFingerprint: string; publicKeyPem: string },
  protector?: KeyProtector,
): Signer {
  const privateKey = readPrivateKey(keysDir, investigator.keyFingerprint, protector);
  return {
    investigatorId: investigator.id,
    keyFingerprint: investigator.keyFingerprint,
    publicKeyPem: investigator.publicKeyPem,
    sign: (data) => sign(null, data, privateKey),
  };
}

function readPrivateKey(
  keysDir: string,
  fingerprint: string,
  protector: KeyProtector | undefined,
): KeyObject {
  const plainFile = privateKeyPath(keysDir, fingerprint);
  const sealedFile = sealedKeyPath(keysDir, fingerprint);
  if (keyProtection(keysDir, fingerprint) === 'keychain') {
    if (!protector) {
      throw operationFailure(
        `this workstation's signing key is sealed by the Custos desktop app's key protection (the OS keychain; ${sealedFile}), so this program cannot sign with it. Capture, import, notes, tags and export sign: do them in the app, or turn key protection off there (Settings, Key protection) to sign from the command line again. Audit, verify and reading the store work here as before`,
      );
    }
    let key: KeyObject;
    try {
      key = unsealKey(sealedFile, fingerprint, protector);
    } catch (error) {
      throw operationFailure(
        `cannot unseal this workstation's signing key ${sealedFile}: ${(error as Error).message}; unlock the OS keychain (log in as the same user) and try again`,
      );
    }
    return checkedKey(key, fingerprint, sealedFile);
  }
  let key: KeyObject;
  try {
    key = createPrivateKeyFromFile(plainFile);
  } catch (error) {
    throw operationFailure(
      `cannot read this workstation's signing key ${plainFile}: ${(error as Error).message}; restore it from backup (without it nothing can be signed)`,
    );
  }
  return checkedKey(key, fingerprint, plainFile);
}

/**
 * The fingerprint of the key actually kept for `fingerprint` (the plain file, or the sealed one
 * unsealed with `protector`), to compare with the ledger's; null when there is nothing this
 * process can read (a sealed key without the app's protector or that it cannot unseal, or a
 * missing file: reported when something signs), `unreadable` when a plain file holds no key.
 */
export function keptKeyFingerprint(
  keysDir: string,
  fingerprint: string,
  protector?: KeyProtector,
): { file: string; fingerprint: string } | { file: string; unreadable: string } | null {
  const protection = keyProtection(keysDir, fingerprint);
  if (protection === 'missing' || (protection === 'keychain' && !protector)) return null;
  const file =
    protection === 'file' ? privateKeyPath(keysDir, fingerprint) : sealedKeyPath(keysDir, fingerprint);
  if (protection === 'keychain' && protector) {
    try {
      return { file, fingerprint: publicFingerprint(unsealKey(file, fingerprint, protector)) };
    } catch {
      return null; // a locked keychain is not tampering: signing says what to do (exit 3)
    }
  }
  try {
    return { file, fingerprint: publicFingerprint(createPrivateKeyFromFile(file)) };
  } catch (error) {
    return { file, unreadable: (error as Error).message };
  }
}

function unsealKey(sealedFile: string, fingerprint: string, protector: KeyProtector): KeyObject {
  const file = JSON.parse(fs.readFileSync(sealedFile, 'utf8')) as SealedKeyFile;
  if (file.format !== 'custos.sealed-key' || file.fingerprint !== fingerprint) {
    throw new Error('the file is not the sealed key of this workstation');
  }
  if (file.protector !== protector.id) {
    throw new Error(`the key was sealed by ${file.protector}, not by ${protector.id}`);
  }
  return createPrivateKey(protector.unseal(Buffer.from(file.sealed, 'base64')));
}

/**
 * The key, once its public half is shown to be the investigator's: another key (a swapped file,
 * plain or sealed) is an integrity failure, never used to sign.
 */
function checkedKey(key: KeyObject, fingerprint: string, file: string): KeyObject {
  const found = publicFingerprint(key);
  if (found !== fingerprint) {
    throw errorSaying(
      'integrity',
      (next) =>
        `${otherKeyDifference(file, found, fingerprint)}; nothing was signed. Restore the original key file from a backup, then ${next.audit}`,
    );
  }
  return key;
}

/** The sentence for a key file holding another key than the ledger records. */
export function otherKeyDifference(file: string, found: string, recorded: string): string {
  return `the signing key file ${file} holds another key: its public key's fingerprint is ${found}, the ledger records ${recorded}`;
}

function publicFingerprint(key: KeyObject): string {
  return keyFingerprint(createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString());
}

/**
 * Switches the key to the protected form (`keychain`: sealed by `protector`) or back (`file`).
 * Never loses the key: the new file is written beside the old one, fsynced, renamed into place and
 * its folder fsynced, and read back and checked against the fingerprint, before the old file is
 * removed. A crash at any point leaves at least one complete key; running the switch again
 * finishes it. Returns the protection now in force.
 */
export function setKeyProtection(
  keysDir: string,
  fingerprint: string,
  wanted: 'file' | 'keychain',
  protector: KeyProtector,
): KeyProtection {
  const plainFile = privateKeyPath(keysDir, fingerprint);
  const sealedFile = sealedKeyPath(keysDir, fingerprint);
  const current = keyProtection(keysDir, fingerprint);
  if (current === 'missing') {
    throw operationFailure(
      `this workstation's signing key is missing from ${keysDir}; restore it from backup`,
    );
  }
  const problem = protector.unavailable();
  if (problem)
    throw badInput(
      `key protection cannot be ${wanted === 'keychain' ? 'turned on' : 'turned off'} here: ${problem}`,
    );
  const key = readPrivateKey(keysDir, fingerprint, protector);
  removeLeftoverTemporaries(keysDir, [plainFile, sealedFile]);
  if (wanted === 'keychain') {
    if (!fs.existsSync(sealedFile)) {
      const plain = key.export({ type: 'pkcs8', format: 'pem' }) as string;
      const file: SealedKeyFile = {
        format: 'custos.sealed-key',
        version: 1,
        fingerprint,
        protector: protector.id,
        sealed: protector.seal(Buffer.from(plain, 'utf8')).toString('base64'),
      };
      writeDurably(sealedFile, `${JSON.stringify(file, null, 2)}\n`);
    }
    // The sealed copy must open to the same key before the plain one goes.
    checkedKey(unsealKey(sealedFile, fingerprint, protector), fingerprint, sealedFile);
    removeDurably(plainFile);
  } else {
    if (!fs.existsSync(plainFile)) {
      writeDurably(plainFile, key.export({ type: 'pkcs8', format: 'pem' }) as string);
    }
    checkedKey(createPrivateKeyFromFile(plainFile), fingerprint, plainFile);
    removeDurably(sealedFile);
  }
  return keyProtection(keysDir, fingerprint);
}

/**
 * Removes what a switch that crashed mid-write left: temporary files are never complete keys in
 * use (a complete one was renamed into place), but one may hold the plain key, which must not
 * outlive the switch to the keychain.
 */
function removeLeftoverTemporaries(keysDir: string, keyFiles: readonly string[]): void {
  const prefixes = keyFiles.map((file) => `${path.basename(file)}.tmp-`);
  const leftovers = fs.readdirSync(keysDir).filter((name) => prefixes.some((p) => name.startsWith(p)));
  for (const name of leftovers) fs.rmSync(path.join(keysDir, name), { force: true });
  if (leftovers.length > 0) fsyncFolder(keysDir);
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
