import { createRequire } from 'node:module';

const requireFromHere = createRequire(import.meta.url);

/**
 * Loads one of the capture engine's big CommonJS libraries (playwright-core, sharp, warcio) with
 * `require`. Imported as ES modules, they go through the TypeScript loader's hooks and Node's
 * CommonJS export scan, which costs about a second more for playwright-core alone on every capture.
 */
export function loadLibrary<T>(name: LibraryName): T {
  return requireFromHere(name) as T;
}

type LibraryName = 'playwright-core' | 'sharp' | 'warcio';

/**
 * One of those libraries, loaded by the first call of the function returned rather than when the
 * module that needs it is imported: every write imports the derivers (and with them the text
 * recognition and page-image modules), and an import of text files must not load sharp (~80 ms)
 * or warcio (~55 ms) that it never uses.
 */
export function libraryOnFirstUse<T>(name: LibraryName): () => T {
  let library: T | undefined;
  return () => {
    library ??= loadLibrary<T>(name);
    return library;
  };
}
