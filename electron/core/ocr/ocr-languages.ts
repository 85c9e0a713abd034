import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { CustosError } from '../errors.js';

const requireFromHere = createRequire(import.meta.url);

/**
 * The languages recognised, in the order Tesseract is given them: Arabic and Persian first (the
 * ads' main scripts), then English and French. Their data comes from the `@tesseract.js-data/*`
 * packages (the `best_int` models), installed with Custos: nothing is ever fetched.
 */
export const OCR_LANGUAGES = ['ara', 'fas', 'eng', 'fra'] as const;

/** Where one language's packaged model is. */
function packagedModel(lang: string): string {
  const file = `@tesseract.js-data/${lang}/4.0.0_best_int/${lang}.traineddata.gz`;
  try {
    return requireFromHere.resolve(file);
  } catch {
    throw new CustosError(
      'failure',
      `text recognition cannot start: the language data ${file} is not installed; run \`npm ci\` again`,
    );
  }
}

/** A folder holding every language's model as Tesseract wants it (`<lang>.traineddata.gz`). */
export interface LanguageFolder {
  readonly dir: string;
  remove(): void;
}

/**
 * Copies the packaged models into one temporary folder (Tesseract reads `langPath/<lang>…`, and the
 * packages are one folder each; a copy also works where the packages sit inside an archive a
 * worker thread cannot read). Every file is checked first: a missing or empty model makes
 * Tesseract crash the process or hang for ever, so it is refused here with a message instead.
 */
export function prepareLanguageFolder(): LanguageFolder {
  const sources = OCR_LANGUAGES.map((lang) => ({ lang, file: packagedModel(lang) }));
  for (const { file } of sources) {
    const size = fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0;
    if (size < 1024)
      throw new CustosError('failure', `text recognition cannot start: ${file} is empty or missing`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custos-ocr-'));
  try {
    for (const { lang, file } of sources) fs.copyFileSync(file, path.join(dir, `${lang}.traineddata.gz`));
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
