/**
 * An export on the command line whose report.pdf is printed in many parts
 * (`CUSTOS_REPORT_PART_ITEMS=1`: one item a part): the bundle verifies, and its report.pdf is one
 * well-formed PDF whose every page says "page k of n" across the parts (qpdf, pdftotext, real
 * Chromium through the CLI).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCustos } from '../support/run-custos.js';
import { makeTempStore, type TempStore } from '../support/temp-store.js';

const CASE = 'PARTS-1';

describe('custos export with report.pdf printed in parts', { timeout: 300_000 }, () => {
  let temp: TempStore;
  let bundle: string;
  let signer: string;
  let unpacked: string;

  beforeAll(async () => {
    temp = makeTempStore({ caseNumber: CASE });
    const files = ['a', 'b', 'c', 'd'].map((name) => temp.writeFile(`${name}.txt`, `text of ${name}\n`));
    expect((await runCustos(['import', ...files, '--case', CASE], { store: temp.dir })).status).toBe(0);
    bundle = path.join(temp.base, 'parts.zip');
    const exported = await runCustos(['export', '--case', CASE, '--out', bundle], {
      store: temp.dir,
      env: { CUSTOS_REPORT_PART_ITEMS: '1' },
      timeoutMs: 300_000,
    });
    expect(exported.status, exported.stderr).toBe(0);
    signer = /Signed by key: +([0-9a-f]{64})/.exec(exported.stdout)![1]!;
    unpacked = path.join(temp.base, 'unpacked');
    execFileSync('unzip', ['-q', bundle, '-d', unpacked]);
  }, 300_000);
  afterAll(() => temp.remove());

  test('the bundle verifies, report.pdf included', async () => {
    const verified = await runCustos(['verify', bundle, '--expect-signer', signer]);
    expect(verified.stderr).toBe('');
    expect(verified.status).toBe(0);
  });

  test('report.pdf is one PDF whose pages are numbered across the parts, every item in it', () => {
    const pdf = path.join(unpacked, 'report.pdf');
    expect(execFileSync('qpdf', ['--check', pdf], { encoding: 'utf8' })).toContain(
      'No syntax or stream encoding errors found',
    );
    const pages = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' })
      .split('\f')
      .slice(0, -1);
    // The cover, four items (one part each), the case's custody and the commands: more pages than parts.
    expect(pages.length).toBeGreaterThan(5);
    expect(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' })).toMatch(
      new RegExp(`^Pages:\\s+${pages.length}$`, 'm'),
    );
    // One footer a page, the join's, numbered on across the parts (a part prints none of its own).
    for (const [index, page] of pages.entries())
      expect(page.match(/page \d+ of \d+/g)).toEqual([`page ${index + 1} of ${pages.length}`]);
    const text = pages.join('\n');
    for (const name of ['a', 'b', 'c', 'd']) expect(text).toContain(`text of ${name}`);
    expect(fs.readdirSync(temp.base).filter((name) => name.includes('report-parts'))).toEqual([]);
  });

  test('a CUSTOS_REPORT_PART_ITEMS that is not a whole number is refused with exit 2 and no bundle', async () => {
    const out = path.join(temp.base, 'refused.zip');
    const refused = await runCustos(['export', '--case', CASE, '--out', out], {
      store: temp.dir,
      env: { CUSTOS_REPORT_PART_ITEMS: 'many' },
      timeoutMs: 300_000,
    });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(
      'CUSTOS_REPORT_PART_ITEMS is "many": give a whole number of items from 1 up',
    );
    expect(fs.existsSync(out)).toBe(false);
  });
});
