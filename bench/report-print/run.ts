/**
 * report.pdf's print, as the export makes it (parted-print.ts: the report cut into parts, each
 * printed once, joined and numbered), against the single print of the whole report the export made before,
 * side by side in the same minutes: wall time, Chromium's CPU and memory (its largest renderer, and
 * all of its processes at once), this process's peak RSS, and the join alone in a process of its
 * own (join.ts). It checks the joined PDF with `qpdf --check` and its text, page by page with
 * pdftotext, against the single print's.
 *
 *   node --import tsx bench/report-print/run.ts REPORT.html [ROUNDS]
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_PARTED_PRINT, printInParts } from '../../electron/core/bundle/parted-print.js';
import { makeBenchDir, removeBenchDir } from '../support/bench-kit.js';
import { costLine, MeasuredPrinter, type PrintCost } from './chromium-print.js';

const [REPORT, ROUNDS = '1'] = process.argv.slice(2);
if (!REPORT) throw new Error('usage: run.ts REPORT.html [ROUNDS]');

const load = () =>
  os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');

/** This process's RSS, polled while `work` runs: its peak in MiB. */
async function withPeakRss<T>(work: () => Promise<T>): Promise<{ result: T; peakMib: number }> {
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  try {
    return { result: await work(), peakMib: Math.round(peak / 1024 / 1024) };
  } finally {
    clearInterval(sampler);
  }
}

/** Prints with a browser of its own (no renderer starts with another print's memory). */
async function inFreshBrowser(
  dir: string,
  name: string,
  work: (printer: MeasuredPrinter) => Promise<PrintCost>,
) {
  const printer = await MeasuredPrinter.open(path.join(dir, `profile-${name}`));
  try {
    return await work(printer);
  } finally {
    await printer.close();
  }
}

function pageTexts(pdf: string): string[] {
  return execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8', maxBuffer: 2 ** 31 - 1 })
    .split('\f')
    .slice(0, -1);
}

const dir = makeBenchDir('report-print');
try {
  console.log(
    `report ${REPORT}, ${(fs.statSync(REPORT).size / 1e6).toFixed(1)} MB; parts of ≤ ${DEFAULT_PARTED_PRINT.maxItems} items`,
  );
  for (let round = 1; round <= Number(ROUNDS); round++) {
    console.log(`round ${round} (load average ${load()})`);
    const single = path.join(dir, 'single.pdf');
    fs.rmSync(single, { force: true });
    const singleCost = await inFreshBrowser(dir, 'single', (printer) => printer.print(REPORT, single));
    console.log(`  single print, ${pageTexts(single).length} pages:  ${costLine(singleCost)}`);
    const reference = pageTexts(single);
    for (const concurrency of [1, 2]) {
      const out = path.join(dir, `parts-${concurrency}`);
      fs.rmSync(out, { recursive: true, force: true });
      fs.mkdirSync(out);
      const kept = path.join(dir, 'kept');
      fs.rmSync(kept, { recursive: true, force: true });
      fs.mkdirSync(kept);
      const pdf = path.join(out, 'report.pdf');
      const { result: cost, peakMib } = await withPeakRss(() =>
        inFreshBrowser(dir, `parts-${concurrency}`, (printer) =>
          printer.measure(() =>
            printInParts(
              REPORT,
              pdf,
              async (html, partPdf) => {
                await printer.printDocument(html, partPdf);
                // Each part's PDF, as it was joined.
                if (concurrency === 1) fs.copyFileSync(partPdf, path.join(kept, path.basename(partPdf)));
              },
              undefined,
              { ...DEFAULT_PARTED_PRINT, concurrency },
            ),
          ),
        ),
      );
      const texts = pageTexts(pdf);
      const differs = reference.findIndex((t, i) => t !== texts[i]);
      const footers = texts.every((t, i) => t.includes(`page ${i + 1} of ${texts.length}`));
      const check = execFileSync('qpdf', ['--check', pdf], { encoding: 'utf8' }).includes(
        'No syntax or stream encoding errors found',
      );
      console.log(
        `  parts, ${concurrency} at a time:         ${costLine(cost)}; this process at most ${peakMib} MiB\n` +
          `    ${texts.length} pages, text ${differs < 0 && texts.length === reference.length ? 'identical to the single print' : `DIFFERS from page ${differs + 1}`}, "page k of n" ${footers ? 'on every page' : 'MISSING'}, qpdf --check ${check ? 'passes' : 'FAILS'}, ${(fs.statSync(pdf).size / 1e6).toFixed(1)} MB (single ${(fs.statSync(single).size / 1e6).toFixed(1)} MB)`,
      );
      if (concurrency === 1) {
        const parts = fs
          .readdirSync(kept)
          .sort((a, b) => Number(/\d+/.exec(a)![0]) - Number(/\d+/.exec(b)![0]))
          .map((name) => path.join(kept, name));
        const joined = execFileSync(
          process.execPath,
          [
            '--import',
            'tsx',
            path.join(import.meta.dirname, 'join.ts'),
            path.join(dir, 'joined.pdf'),
            ...parts,
          ],
          { encoding: 'utf8' },
        );
        console.log(`    join alone, ${parts.length} parts: ${joined.trim()}`);
        fs.rmSync(path.join(dir, 'joined.pdf'), { force: true });
      }
    }
    console.log(`  (load average ${load()})`);
  }
} finally {
  removeBenchDir(dir);
}
