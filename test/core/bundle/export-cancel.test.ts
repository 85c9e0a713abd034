/**
 * A cancelled export, or one whose report cannot be printed, leaves nothing: no bundle, no
 * temporary file beside it, no custody entry, and the store audits clean. The store holds enough incompressible data that the cancel, sent at the
 * first bytes written, lands while the artifacts are streaming.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runAudit } from '../../../electron/core/audit/run-audit.js';
import { exportBundle } from '../../../electron/core/bundle/export-bundle.js';
import { ChromiumPdfPrinter, type PdfPrinter } from '../../../electron/core/bundle/pdf-printer.js';
import { Cancelled } from '../../../electron/core/cancel.js';
import { readLedgerRows } from '../../support/ledger-rows.js';
import { storeOfRandomFiles } from '../../support/random-files-store.js';
import type { TempStore } from '../../support/temp-store.js';

const FILES = 6;
const FILE_BYTES = 6 * 1024 * 1024;

describe('cancelling an export', () => {
  let temp: TempStore;
  let outDir: string;
  beforeAll(async () => {
    ({ temp, outDir } = await storeOfRandomFiles('BE-9', FILES, FILE_BYTES));
  }, 120_000);
  afterAll(() => temp?.remove());

  test('mid-stream leaves no bundle, no .partial file and no ledger entry, and the store audits clean', async () => {
    const before = readLedgerRows(temp.dir);
    const out = path.join(outDir, 'BE-9.zip');
    const controller = new AbortController();
    let bytesAtCancel = 0;
    let total = 0;
    const store = temp.open();
    try {
      const running = exportBundle(store, {
        caseRef: 'BE-9',
        out,
        signal: controller.signal,
        onProgress: (bytes, of) => {
          total = of;
          if (bytes > 0 && !controller.signal.aborted) {
            bytesAtCancel = bytes;
            controller.abort();
          }
        },
      });
      await expect(running).rejects.toBeInstanceOf(Cancelled);
      expect(bytesAtCancel).toBeGreaterThan(0);
      expect(bytesAtCancel).toBeLessThan(total);
      expect(fs.readdirSync(outDir)).toEqual([]);
      expect(readLedgerRows(temp.dir)).toEqual(before);
      const audit = await runAudit(store);
      expect(audit.problems).toEqual([]);
      expect(audit.clean).toBe(true);
    } finally {
      store.close();
    }
  }, 180_000);

  test('while the report prints stops the printing browser at once and leaves nothing', async () => {
    const before = readLedgerRows(temp.dir);
    const out = path.join(outDir, 'BE-9-printing.zip');
    const controller = new AbortController();
    const chromium = new ChromiumPdfPrinter();
    let printed: Promise<string> | undefined;
    // The real printer, with the cancel sent the moment printing begins.
    const printer: PdfPrinter = {
      print: (html, pdf, signal) => {
        const running = chromium.print(html, pdf, signal);
        printed = running.then(
          () => 'printed whole',
          (error: Error) => error.name,
        );
        controller.abort();
        return running;
      },
    };
    const store = temp.open();
    try {
      await expect(
        exportBundle(store, { caseRef: 'BE-9', out, signal: controller.signal, printer }),
      ).rejects.toBeInstanceOf(Cancelled);
      expect(await printed).toBe('Cancelled');
      expect(fs.readdirSync(outDir).filter((name) => name.includes('printing'))).toEqual([]);
      expect(readLedgerRows(temp.dir)).toEqual(before);
    } finally {
      store.close();
    }
  }, 180_000);

  test('a report that cannot be printed fails the export with the reason and leaves nothing', async () => {
    const before = readLedgerRows(temp.dir);
    const out = path.join(outDir, 'BE-9-unprintable.zip');
    const missing = path.join(temp.base, 'no-such-chromium');
    const store = temp.open();
    try {
      // The real printer, given a browser that does not exist: it fails while the artifacts stream.
      await expect(
        exportBundle(store, { caseRef: 'BE-9', out, printer: new ChromiumPdfPrinter(missing) }),
      ).rejects.toThrow(missing);
      expect(fs.readdirSync(outDir).filter((name) => name.includes('unprintable'))).toEqual([]);
      expect(readLedgerRows(temp.dir)).toEqual(before);
    } finally {
      store.close();
    }
  }, 180_000);

  test('a signal already cancelled writes nothing; the same export then runs whole', async () => {
    const out = path.join(outDir, 'BE-9-again.zip');
    const store = temp.open();
    try {
      const before = readLedgerRows(temp.dir).length;
      await expect(
        exportBundle(store, { caseRef: 'BE-9', out, signal: AbortSignal.abort() }),
      ).rejects.toBeInstanceOf(Cancelled);
      expect(fs.existsSync(out)).toBe(false);
      const result = await exportBundle(store, {
        caseRef: 'BE-9',
        out,
        signal: new AbortController().signal,
      });
      expect(result.items).toHaveLength(FILES);
      expect(fs.readdirSync(outDir)).toEqual(['BE-9-again.zip']);
      const after = readLedgerRows(temp.dir);
      expect(after).toHaveLength(before + 1);
      expect(after.at(-1)?.action).toBe('bundle.export');
    } finally {
      store.close();
    }
  }, 180_000);

  test('a blob found changed while the report prints stops the print at once and leaves nothing', async () => {
    const before = readLedgerRows(temp.dir);
    const out = path.join(outDir, 'BE-9-changed.zip');
    const blob = lastBlob(temp);
    const original = fs.readFileSync(blob);
    fs.chmodSync(blob, 0o644);
    fs.writeFileSync(blob, Buffer.concat([Buffer.from('X'), original.subarray(1)]));
    // A stand-in for the printer that prints forever: only a stop ends it.
    let printStopped = false;
    const printer: PdfPrinter = {
      print: (_html, _pdf, signal) =>
        new Promise((_, reject) =>
          signal?.addEventListener('abort', () => {
            printStopped = true;
            reject(new Cancelled());
          }),
        ),
    };
    const store = temp.open();
    try {
      await expect(exportBundle(store, { caseRef: 'BE-9', out, printer })).rejects.toThrow(
        /changed on disk.*custos audit/,
      );
      expect(printStopped).toBe(true);
      expect(fs.readdirSync(outDir).filter((name) => name.includes('changed'))).toEqual([]);
      expect(readLedgerRows(temp.dir)).toEqual(before);
    } finally {
      store.close();
      fs.writeFileSync(blob, original);
    }
  }, 180_000);

  test('the artifacts are written into the bundle while the report prints, and the progress line says the print is what remains', async () => {
    const out = path.join(outDir, 'BE-9-beside.zip');
    let partialBytesWhilePrinting = 0;
    const stages: string[] = [];
    let stagesWhilePrinting: string[] = [];
    // A stand-in for the printer that watches the bundle's temporary file grow, then prints one page.
    const printer: PdfPrinter = {
      print: async (_html, pdf) => {
        const deadline = Date.now() + 30_000;
        while (
          (partialBytesWhilePrinting < FILES * FILE_BYTES || !stages.includes('printing')) &&
          Date.now() < deadline
        ) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          const partial = fs
            .readdirSync(outDir)
            .find((name) => name.includes('beside') && name.endsWith('.partial'));
          if (partial) partialBytesWhilePrinting = fs.statSync(path.join(outDir, partial)).size;
        }
        stagesWhilePrinting = [...new Set(stages)];
        fs.writeFileSync(pdf, '%PDF-1.4\n%%EOF\n');
      },
    };
    const store = temp.open();
    try {
      const result = await exportBundle(store, {
        caseRef: 'BE-9',
        out,
        printer,
        onProgress: (_bytes, _total, stage) => stages.push(stage),
      });
      expect(result.items).toHaveLength(FILES);
      expect(partialBytesWhilePrinting).toBeGreaterThanOrEqual(FILES * FILE_BYTES);
      expect(stagesWhilePrinting).toEqual(['writing', 'printing']);
      // Once printed, the reports are written into the ZIP: the line says writing again.
      expect(stages.at(-1)).toBe('writing');
    } finally {
      store.close();
    }
  }, 180_000);
});

/** The blob file of the case's last imported file. */
function lastBlob(temp: TempStore): string {
  const store = temp.openForReading();
  try {
    const artifact = store.db.prepare('SELECT sha256 FROM artifacts ORDER BY rowid DESC LIMIT 1').get() as {
      sha256: string;
    };
    return store.blobs.pathOf(artifact.sha256);
  } finally {
    store.close();
  }
}
