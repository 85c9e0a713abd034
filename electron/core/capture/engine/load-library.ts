import { createRequire } from 'node:module';

const requireFromHere = createRequire(import.meta.url);

/**
 * Loads one of the capture engine's big CommonJS libraries (playwright-core, sharp, warcio) with
 * `require`. Imported as ES modules, they go through the TypeScript loader's hooks and Node's
 * CommonJS export scan, which costs about a second more for playwright-core alone on every capture.
 */
export function loadLibrary<T>(name: 'playwright-core' | 'sharp' | 'warcio'): T {
  return requireFromHere(name) as T;
}
