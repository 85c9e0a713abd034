/**
 * The keys that seal and open bundles with age, read from the files the user names, and whether a
 * file is sealed at all: none of it needs the age library, which age-seal.ts loads, so verify of
 * an unsealed bundle does not load it.
 */
import fs from 'node:fs';
import { badInput } from '../errors.js';

/** How a bundle is sealed or opened: age recipients or identities, or one passphrase. */
export interface AgeKeys {
  /** Public keys (`age1…`) to encrypt for. */
  readonly recipients?: readonly string[];
  /** Private keys (`AGE-SECRET-KEY-1…`) to decrypt with. */
  readonly identities?: readonly string[];
  readonly passphrase?: string;
}

const BINARY_MAGIC = 'age-encryption.org/v1\n';
const ARMOR_MAGIC = '-----BEGIN AGE ENCRYPTED FILE-----';

/** Whether a file is age-encrypted (binary or armored), judged from its first bytes. */
export function ageFormatOf(file: string): 'binary' | 'armored' | null {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return null;
  }
  try {
    const head = Buffer.alloc(ARMOR_MAGIC.length);
    const n = fs.readSync(fd, head, 0, head.length, 0);
    const text = head.subarray(0, n).toString('latin1');
    if (text.startsWith(BINARY_MAGIC)) return 'binary';
    if (text.trimStart().startsWith(ARMOR_MAGIC)) return 'armored';
    return null;
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads a passphrase file: its text without the final line break. */
export function readPassphraseFile(file: string): string {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw badInput(`cannot read the passphrase file ${file}: ${(error as Error).message}`);
  }
  const passphrase = text.replace(/\r?\n$/, '');
  if (passphrase === '') throw badInput(`the passphrase file ${file} is empty`);
  return passphrase;
}

/** Reads an age identity file (as `age-keygen` writes it): its AGE-SECRET-KEY lines. */
export function readIdentityFile(file: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw badInput(`cannot read the identity file ${file}: ${(error as Error).message}`);
  }
  const keys = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  if (keys.length === 0 || keys.some((key) => !key.startsWith('AGE-SECRET-KEY-'))) {
    throw badInput(
      `${file} is not an age identity file: it must hold AGE-SECRET-KEY-… lines (as age-keygen writes)`,
    );
  }
  return keys;
}

/** The keys named by `--identity FILE` and `--passphrase-file FILE`, read and checked. */
export function sealKeysFromFiles(options: { identity?: string; passphraseFile?: string }): AgeKeys {
  return {
    identities: options.identity === undefined ? [] : readIdentityFile(options.identity),
    passphrase: options.passphraseFile === undefined ? undefined : readPassphraseFile(options.passphraseFile),
  };
}
