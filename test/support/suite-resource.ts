import { afterAll, beforeAll } from 'vitest';

/**
 * Makes something a test file or `describe` shares (before its tests) and ends it after them. The
 * getter gives it to the tests; called before it is made (outside a test), it throws naming `what`.
 */
export function suiteResource<T>(
  what: string,
  make: () => T | Promise<T>,
  end: (made: T) => void | Promise<void>,
): () => T {
  let made: { readonly value: T } | undefined;
  beforeAll(async () => {
    made = { value: await make() };
  });
  afterAll(async () => {
    if (made) await end(made.value);
  });
  return () => {
    if (!made) throw new Error(`${what} is not ready yet (use it inside a test)`);
    return made.value;
  };
}
