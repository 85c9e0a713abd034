/**
 * Sealing bundles for transport with age (format v1), so that the standard `age` tool
 * opens them: `--recipient age1…` (X25519 or hybrid public keys) or a passphrase (scrypt).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { Decrypter, Encrypter } from 'age-encryption';
import { badInput, errorCode, errorSaying, failureSaying, integrityFailure } from '../errors.js';
import { SourceReadError } from '../store/blob-store.js';
import { describeDecryptedCopyFailure, describeSystemError, isDeviceFailure } from '../system-errors.js';
import { makeSystemTempDir } from '../system-temp.js';
import { type AgeKeys, ageFormatOf } from './age-keys.js';

/** The commands take these from here with the sealing itself (verify takes them from age-keys.ts). */
export {
  type AgeKeys,
  ageFormatOf,
  readIdentityFile,
  readPassphraseFile,
  sealKeysFromFiles,
} from './age-keys.js';

/** Checks sealing options before anything is written: valid recipients, or a passphrase, not both. */
export function makeEncrypter(keys: AgeKeys): Encrypter | null {
  const recipients = keys.recipients ?? [];
  if (recipients.length === 0 && keys.passphrase === undefined) return null;
  if (recipients.length > 0 && keys.passphrase !== undefined) {
    throw badInput('seal a bundle with --recipient or with --passphrase-file, not both');
  }
  const encrypter = new Encrypter();
  if (keys.passphrase !== undefined) encrypter.setPassphrase(keys.passphrase);
  for (const recipient of recipients) {
    try {
      encrypter.addRecipient(recipient.trim());
    } catch (error) {
      throw badInput(
        `${recipient} is not an age recipient (a public key such as age1…): ${(error as Error).message}`,
      );
    }
  }
  return encrypter;
}

/** Encrypts a stream of bytes for the encrypter's recipients or passphrase. */
export async function sealStream(encrypter: Encrypter, plain: Readable): Promise<Readable> {
  const web = Readable.toWeb(plain) as unknown as ReadableStream<Uint8Array>;
  const sealed = await encrypter.encrypt(web);
  return Readable.fromWeb(sealed as unknown as WebReadableStream<Uint8Array>);
}

/** A decrypted copy of a sealed bundle in a private temp folder; `remove()` deletes it. */
export interface OpenedSeal {
  readonly file: string;
  remove(): void;
}

/**
 * Decrypts a sealed bundle to a private temporary file (a ZIP needs random access). A key that
 * does not open it is bad input; a payload that fails authentication is tampering. A device's
 * failure to read the .age file is thrown as a SourceReadError of it (its caller words it as that
 * file's disk's), any other failure to read it (a network share dropped) as that failure (exit 3);
 * a failure to write the copy is the system temporary folder's disk's (exit 3). None is taken for
 * a wrong key or for tampering, which the age library's error would suggest.
 */
export async function openSeal(file: string, keys: AgeKeys): Promise<OpenedSeal> {
  const format = ageFormatOf(file);
  if (format === 'armored') {
    throw badInput(
      `${file} is an ASCII-armored age file; decrypt it with \`age -d\` first, then verify the ZIP`,
    );
  }
  const identities = keys.identities ?? [];
  if (identities.length === 0 && keys.passphrase === undefined) {
    throw errorSaying('bad-input', (next) => `${file} is sealed with age; ${next.openSealed}`);
  }
  const decrypter = new Decrypter();
  if (keys.passphrase !== undefined) decrypter.addPassphrase(keys.passphrase);
  for (const identity of identities) {
    try {
      decrypter.addIdentity(identity);
    } catch (error) {
      throw badInput(`an identity given is not a valid age secret key: ${(error as Error).message}`);
    }
  }
  const dir = makeSystemTempDir('unsealed');
  const remove = () => fs.rmSync(dir, { recursive: true, force: true });
  const out = path.join(dir, 'bundle.zip');
  // Which stream failed is told by its own error: the age library reports either as its own.
  const source = fs.createReadStream(file);
  let readFailure: unknown;
  source.once('error', (error) => {
    readFailure = error;
  });
  // Any failed read of it is the read's failure, never a wrong key nor tampering: a device's (EIO, a
  // stick pulled out) as a SourceReadError, any other (a network share dropped: ECONNRESET; its
  // permissions changed) as what it is.
  const unreadable = () => {
    if (readFailure === undefined) return undefined;
    if (isDeviceFailure(readFailure)) return new SourceReadError(file, readFailure);
    return (
      describeSystemError(readFailure, file, { access: 'read' }) ??
      failureSaying(
        (next) =>
          `${file} could not be read (${errorCode(readFailure) ?? 'error'}: ${(readFailure as Error).message}); nothing about the bundle's integrity was decided. Check the file and the disk or share that holds it, and ${next.again}`,
        { cause: readFailure },
      )
    );
  };
  let plain: ReadableStream<Uint8Array>;
  try {
    const web = Readable.toWeb(source) as unknown as ReadableStream<Uint8Array>;
    plain = await decrypter.decrypt(web);
  } catch (error) {
    remove();
    throw (
      unreadable() ??
      badInput(
        `cannot open ${file}: ${keys.passphrase !== undefined ? 'the passphrase is wrong' : 'none of the identities given is a recipient of it'} (${(error as Error).message})`,
      )
    );
  }
  const sink = fs.createWriteStream(out, { mode: 0o600 });
  let writeFailure: unknown;
  sink.once('error', (error) => {
    writeFailure = error;
  });
  try {
    await pipeline(Readable.fromWeb(plain as unknown as WebReadableStream<Uint8Array>), sink);
  } catch (error) {
    remove();
    const unread = unreadable();
    if (unread) throw unread;
    if (writeFailure !== undefined)
      throw (
        describeDecryptedCopyFailure(writeFailure, out, file, 'write', 'the bundle was not checked') ??
        describeSystemError(writeFailure, out) ??
        writeFailure
      );
    throw integrityFailure(
      `${file} is damaged or was tampered with: its encrypted content fails authentication (${(error as Error).message})`,
    );
  }
  return { file: out, remove };
}
