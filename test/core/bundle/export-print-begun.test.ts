/**
 * The report's printer starts its browser when the export starts (`PdfPrinter.begin`), so that
 * loading playwright-core and starting Chromium pass beside the stamp, the custody, the WACZ and
 * the report's writing instead of after them; and an export that fails or is cancelled before it
 * prints leaves no browser running and no profile folder behind. Real Chromium, real stores.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { exportBundle } from '../../../electron/core/bundle/export-bundle.js';
import { ChromiumPdfPrinter, type PdfPrinter } from '../../../electron/core/bundle/pdf-printer.js';
import { Cancelled } from '../../../electron/core/cancel.js';
import { readLedgerRows } from '../../support/ledger-rows.js';
import { storeOfRandomFiles } from '../../support/random-files-store.js';
import type { TempStore } from '../../support/temp-store.js';

const FILES = 4;
const FILE_BYTES = 4 * 1024 * 1024;
const PROFILE_PREFIX = `custos-pdf-profile-${process.pid}-`;

/** This process's report-printer profile folders in the system's temporary folder. */
function printerProfiles(): string[] {
  return fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith(PROFILE_PREFIX));
}

/** Processes still running with one of this process's printer profiles (Chromium's, by its command line). */
function printerBrowsers(): string[] {
  const found: string[] = [];
  for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmdline.includes(PROFILE_PREFIX)) found.push(pid);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** Waits (bounded) for Chromium's processes to go once the browser was closed: its helpers exit a moment later. */
async function untilNoPrinterBrowser(): Promise<string[]> {
  const deadline = Date.now() + 10_000;
  let left = printerBrowsers();
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    left = printerBrowsers();
  }
  return left;
}

describe('the report printer begun with the export', () => {
  let temp: TempStore;
  let outDir: string;
  beforeAll(async () => {
    ({ temp, outDir } = await storeOfRandomFiles('PB-3', FILES, FILE_BYTES));
  }, 120_000);
  afterAll(() => temp?.remove());

  test('starts its browser before the artifacts stream, prints the report with it, and leaves no browser or profile', async () => {
    const chromium = new ChromiumPdfPrinter();
    const events: string[] = [];
    const printer: PdfPrinter = {
      print: () => Promise.reject(new Error('the export printed without the job it began')),
      begin: (signal) => {
        events.push('begin');
        const job = chromium.begin(signal);
        return {
          print: (html, pdf, printSignal) => {
            events.push('print');
            return job.print(html, pdf, printSignal);
          },
          dispose: () => job.dispose(),
        };
      },
    };
    const profilesBefore = printerProfiles();
    const out = path.join(outDir, 'PB-3.zip');
    const store = temp.open();
    try {
      const result = await exportBundle(store, {
        caseRef: 'PB-3',
        out,
        printer,
        onProgress: (_bytes, _total, stage) => {
          if (events.at(-1) !== stage) events.push(stage);
        },
      });
      expect(result.items).toHaveLength(FILES);
    } finally {
      store.close();
    }
    expect(events[0]).toBe('begin');
    expect(events.filter((e) => e === 'begin')).toHaveLength(1);
    expect(events.indexOf('writing')).toBeGreaterThan(0);
    expect(events).toContain('print');
    // The report printed by that browser: a real PDF of at least the cover and the items.
    const unzipped = path.join(temp.base, 'unzipped');
    execFileSync('unzip', ['-q', out, 'report.pdf', '-d', unzipped]);
    const info = execFileSync('pdfinfo', [path.join(unzipped, 'report.pdf')], { encoding: 'utf8' });
    expect(Number(/Pages:\s+(\d+)/.exec(info)?.[1])).toBeGreaterThanOrEqual(FILES);
    expect(await untilNoPrinterBrowser()).toEqual([]);
    expect(printerProfiles()).toEqual(profilesBefore);
  }, 180_000);

  test('an export cancelled while the artifacts stream closes the browser it began and removes its profile', async () => {
    const before = readLedgerRows(temp.dir);
    const profilesBefore = printerProfiles();
    const out = path.join(outDir, 'PB-3-cancelled.zip');
    const controller = new AbortController();
    const store = temp.open();
    try {
      // The real printer, as the CLI makes it (the export begins its print), cancelled at the first bytes.
      await expect(
        exportBundle(store, {
          caseRef: 'PB-3',
          out,
          printer: new ChromiumPdfPrinter(),
          signal: controller.signal,
          onProgress: (bytes) => {
            if (bytes > 0) controller.abort();
          },
        }),
      ).rejects.toBeInstanceOf(Cancelled);
    } finally {
      store.close();
    }
    expect(fs.readdirSync(outDir).filter((name) => name.includes('cancelled'))).toEqual([]);
    expect(readLedgerRows(temp.dir)).toEqual(before);
    expect(await untilNoPrinterBrowser()).toEqual([]);
    expect(printerProfiles()).toEqual(profilesBefore);
  }, 180_000);

  test('an export refused before it writes (an item that is not in the case) starts no browser', async () => {
    const profilesBefore = printerProfiles();
    let begun = 0;
    const chromium = new ChromiumPdfPrinter();
    const printer: PdfPrinter = {
      print: (html, pdf, signal) => chromium.print(html, pdf, signal),
      begin: (signal) => {
        begun++;
        return chromium.begin(signal);
      },
    };
    const store = temp.open();
    try {
      await expect(
        exportBundle(store, {
          caseRef: 'PB-3',
          out: path.join(outDir, 'PB-3-refused.zip'),
          itemRefs: ['no-such-item'],
          printer,
        }),
      ).rejects.toThrow(/no-such-item/);
    } finally {
      store.close();
    }
    expect(begun).toBe(0);
    expect(printerProfiles()).toEqual(profilesBefore);
  }, 60_000);

  test('an export whose print job fails to end after printing fails before it commits: no bundle, no custody entry', async () => {
    const before = readLedgerRows(temp.dir);
    const out = path.join(outDir, 'PB-3-not-ended.zip');
    // The job prints (a stand-in PDF), then cannot end: its profile could not be removed.
    const printer: PdfPrinter = {
      print: () => Promise.reject(new Error('the export printed without the job it began')),
      begin: () => ({
        print: async (_html, pdf) => fs.writeFileSync(pdf, '%PDF-1.4\n%%EOF\n'),
        dispose: () => Promise.reject(new Error('EACCES: the printer profile could not be removed')),
      }),
    };
    const store = temp.open();
    try {
      await expect(exportBundle(store, { caseRef: 'PB-3', out, printer })).rejects.toThrow(
        /profile could not/,
      );
    } finally {
      store.close();
    }
    // Told it failed, the user finds no bundle and no entry saying one was exported.
    expect(fs.readdirSync(outDir).filter((name) => name.includes('not-ended'))).toEqual([]);
    expect(readLedgerRows(temp.dir)).toEqual(before);
  }, 60_000);
});
