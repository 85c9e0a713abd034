/**
 * What `custos verify` checks a file as, a bundle or a WACZ, told from its name or its ZIP's
 * directory. Apart from the WACZ check (verify-wacz.ts), whose schemas load zod, which a bundle's
 * check never needs.
 */
import { ageFormatOf } from '../bundle/age-keys.js';
import { BUNDLE_FILES, DEFAULT_ZIP_LIMITS } from '../bundle/format.js';
import { entryName, readZipDirectory, type ZipDirectory } from '../bundle/zip-reader.js';
import { requireRegularFile, requireRegularFileSync } from '../regular-file.js';
import { WACZ_FILES } from './wacz-files.js';

/** Whether a ZIP looks like a WACZ (it has datapackage.json, or a WACZ's folders): `verify` picks its checks by it. */
export function looksLikeWacz(names: Iterable<string>): boolean {
  for (const name of names) {
    if (name === WACZ_FILES.datapackage || name === WACZ_FILES.digest || name.startsWith('archive/'))
      return true;
  }
  return false;
}

/** What `custos verify` checks a file as, with the ZIP's directory when it was read to tell (for the check). */
export interface VerifyTarget {
  readonly wacz: boolean;
  /** The file's ZIP directory, read once: the check takes it (and closes it); null when not read. */
  readonly directory: ZipDirectory | null;
}

/** Whether a file's name says it is a WACZ (`custos verify` checks it as one, unread). */
export function hasWaczName(file: string): boolean {
  return /\.wacz$/i.test(file);
}

/**
 * Whether `custos verify` should start a bundle's hashing threads on `file` before it reads the
 * ZIP: a readable regular file, not sealed with age, not named as a WACZ. A sealed bundle's
 * threads run on its decrypted copy, and bad input (no such file, a folder, a pipe) is refused
 * before anything is hashed: two threads started ahead on either were about 90 ms of CPU for
 * nothing, and terminated unused. The checks that follow say what is wrong with such a file.
 */
export function worthHashingAhead(file: string): boolean {
  if (hasWaczName(file)) return false;
  try {
    requireRegularFileSync(file, file, 'nothing was verified');
  } catch {
    return false;
  }
  return ageFormatOf(file) === null;
}

/**
 * Whether `custos verify` should check this file as a WACZ: its name ends in .wacz, or it is a ZIP
 * (not sealed with age) with a WACZ's files and no bundle manifest. The directory read to tell is
 * handed on, so that the check does not read it again.
 */
export async function verifyTargetOf(file: string): Promise<VerifyTarget> {
  const unread = (wacz: boolean): VerifyTarget => ({ wacz, directory: null });
  if (hasWaczName(file)) return unread(true);
  await requireRegularFile(file, file, 'nothing was verified');
  if (ageFormatOf(file) !== null) return unread(false);
  let directory: ZipDirectory | null;
  try {
    // A ZIP of more entries than the limit is refused unread, as a bundle.
    directory = await readZipDirectory(file, DEFAULT_ZIP_LIMITS.maxEntries);
  } catch {
    return unread(false); // the bundle check says what the file is not
  }
  if (!directory) return unread(false);
  // The names as the check reads them (a Unicode-path field, CP437), or a bundle would be told apart by other names.
  const names = directory.entries.map(entryName);
  // A damaged directory is the bundle check's to report, as before the directory was handed on.
  const wacz = !directory.damage && !names.includes(BUNDLE_FILES.manifest) && looksLikeWacz(names);
  return { wacz, directory };
}
