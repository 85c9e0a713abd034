import { describe, expect, test } from 'vitest';
import { hashResults } from '../../../electron/core/bundle/verify-bundle.js';
import type { BundleProblem } from '../../../electron/core/bundle/zip-reader.js';

/**
 * verify gathers each file's SHA-256 from three places (the threads, the control files read here,
 * custody.jsonl streamed here). The evidence hash is taken over what was gathered only when no
 * problem was found, so a file none of them hashed must be a problem, never a silent omission.
 */
describe('verify names every file it could not hash', () => {
  const files = new Map([
    ['manifest.json', null],
    ['items/1/page.html', null],
    ['items/1/screenshot.png', null],
  ]);
  const sha = (c: string) => c.repeat(64);

  test('a file no source hashed is a problem, and is left out of the hashes', () => {
    const problems: BundleProblem[] = [];
    const hashes = hashResults(
      files,
      [
        new Map([['items/1/page.html', { sha256: sha('a') }]]),
        new Map([['manifest.json', { sha256: sha('b') }]]),
      ],
      problems,
    );
    expect([...hashes]).toEqual([
      ['manifest.json', sha('b')],
      ['items/1/page.html', sha('a')],
    ]);
    expect(problems).toEqual([
      {
        path: 'items/1/screenshot.png',
        problem: 'was not hashed, so it was not checked against the signed lists: verify the bundle again',
      },
    ]);
  });

  test('every file hashed by one source or another gives no problem; one that could not be read says why', () => {
    const problems: BundleProblem[] = [];
    const hashes = hashResults(
      files,
      [
        new Map([
          ['items/1/page.html', { sha256: sha('a') }],
          ['items/1/screenshot.png', { error: 'the archive ends inside this entry' }],
        ]),
        new Map([['manifest.json', { sha256: sha('b') }]]),
      ],
      problems,
    );
    expect(hashes.size).toBe(2);
    expect(problems).toEqual([
      { path: 'items/1/screenshot.png', problem: 'cannot be read: the archive ends inside this entry' },
    ]);
  });
});
