/**
 * An export on a machine whose Chromium is gone (an officer's laptop, `CUSTOS_CHROMIUM` pointing at
 * a browser since removed): report.pdf cannot be printed, so the export fails as an operation
 * failure (exit 3) with a message that says what to do, and leaves no bundle, no partial file and
 * no custody entry. The report is cut into parts while the browser starts (pdf-printer.ts), so the
 * failure to start is met only when the first part prints. Real CLI, real store.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCustos } from '../support/run-custos.js';
import { makeTempStore, type TempStore } from '../support/temp-store.js';

const CASE = 'NOBROWSER-1';

describe('custos export when the report printer has no browser', { timeout: 120_000 }, () => {
  let temp: TempStore;
  let outDir: string;
  let result: Awaited<ReturnType<typeof runCustos>>;
  let logBefore: string;

  beforeAll(async () => {
    temp = makeTempStore({ caseNumber: CASE });
    const file = temp.writeFile('ad.txt', 'Boat to Lampedusa, 3000 euro, WhatsApp +218 91 234 5678\n');
    expect((await runCustos(['import', file, '--case', CASE], { store: temp.dir })).status).toBe(0);
    logBefore = (await runCustos(['log', '--case', CASE], { store: temp.dir })).stdout;
    outDir = path.join(temp.base, 'exports');
    fs.mkdirSync(outDir);
    result = await runCustos(['export', '--case', CASE, '--out', path.join(outDir, 'case.zip')], {
      store: temp.dir,
      env: { CUSTOS_CHROMIUM: path.join(temp.base, 'chromium-removed') },
    });
  }, 120_000);
  afterAll(() => temp.remove());

  test('fails as an operation failure naming the browser setting to fix', () => {
    expect(result.status).toBe(3);
    expect(result.stderr).toContain('cannot print report.pdf');
    expect(result.stderr).toContain('CUSTOS_CHROMIUM');
  });

  test('leaves no bundle, no partial file and no custody entry', async () => {
    expect(fs.readdirSync(outDir)).toEqual([]);
    expect((await runCustos(['log', '--case', CASE], { store: temp.dir })).stdout).toBe(logBefore);
  });
});
