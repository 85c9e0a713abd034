import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Tests spawn child processes and browsers: two cores do not take more than two files at once.
    maxWorkers: 2,
    // Text recognition (a second or more a picture) would follow every capture of the suite; the
    // few tests of it turn it back on for their own runs (CUSTOS_OCR: 'on').
    env: { CUSTOS_OCR: 'off' },
    // expect.poll waits for a state as long as a playwright wait does (30 s), not vitest's 1 s: a
    // window's answer on a loaded two-core machine (the whole suite, Chromium, other work) can
    // take longer than a second. A poll that passes returns as soon as the state is there.
    expect: { poll: { timeout: 30_000 } },
    // Byte arrays compared as bytes, not key by key (seconds for a store's database).
    setupFiles: ['test/support/byte-array-equality.ts'],
  },
});
