/**
 * The root certificates a recipient gives to verify timestamps with (`custos verify --tsa-roots`,
 * the Verify screen's "TSA roots" files): read from the recipient's own files, never from the
 * bundle, each checked to hold a certificate before anything is verified.
 */
import fs from 'node:fs';
import { badInput } from '../errors.js';

/** The PEM text of each root file; bad input (nothing verified) for a file unreadable or with no certificate. */
export function readRecipientRoots(files: readonly string[]): string[] {
  return files.map((file) => {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      throw badInput(
        `the TSA root file ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? error}); nothing was verified`,
      );
    }
    if (!text.includes('-----BEGIN CERTIFICATE-----'))
      throw badInput(
        `the TSA root file ${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----); give the root certificate of an authority you trust, in PEM; nothing was verified`,
      );
    return text;
  });
}
