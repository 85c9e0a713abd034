import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  extraChromiumArgs,
  findChromium,
} from '../../../../electron/core/capture/browser/browser-discovery.js';
import { makeTempDir, removeTempDir } from '../../../support/temp-store.js';

const dir = makeTempDir();
afterAll(() => removeTempDir(dir));

describe('findChromium', () => {
  it('uses CUSTOS_CHROMIUM when it names an executable file', () => {
    const browser = path.join(dir, 'my-chromium');
    fs.writeFileSync(browser, '#!/bin/sh\n', { mode: 0o755 });
    expect(findChromium({ CUSTOS_CHROMIUM: browser })).toBe(browser);
  });

  it('says what to do when CUSTOS_CHROMIUM is not an executable file, and never falls back silently', () => {
    const text = path.join(dir, 'notes.txt');
    fs.writeFileSync(text, 'not a browser', { mode: 0o644 });
    expect(() => findChromium({ CUSTOS_CHROMIUM: text })).toThrow(
      /CUSTOS_CHROMIUM is .*notes\.txt, which is not an executable file/,
    );
  });

  it('finds the system Chromium at its usual place', () => {
    expect(findChromium({}, 'linux')).toMatch(/chrom/);
  });

  it('says how to install a browser when none is found, instead of downloading one', () => {
    expect(() => findChromium({}, 'aix')).toThrow(/install Chromium .* or set CUSTOS_CHROMIUM/);
  });

  it('reads extra browser switches from CUSTOS_CHROMIUM_ARGS', () => {
    expect(
      extraChromiumArgs({ CUSTOS_CHROMIUM_ARGS: ' --proxy-server=http://10.0.0.1:3128   --lang=ar ' }),
    ).toEqual(['--proxy-server=http://10.0.0.1:3128', '--lang=ar']);
    expect(extraChromiumArgs({})).toEqual([]);
  });
});
