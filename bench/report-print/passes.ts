/**
 * What each pass of report.pdf's parted print costs (parted-print.ts before the stamp): the report
 * cut into parts, every part printed with everything hidden (the counting pass of main's code),
 * then every part printed as the export prints it, two at a time as the export does; wall time and
 * Chromium's CPU of each, with the load.
 *
 *   node --import tsx bench/report-print/passes.ts REPORT.html [ROUNDS]
 */

import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_PARTED_PRINT } from '../../electron/core/bundle/parted-print.js';
import { partPageStyle } from '../../electron/core/bundle/pdf-page-template.js';
import { cutReport, type ReportPart } from '../../electron/core/bundle/report-parts.js';
import { makeBenchDir, removeBenchDir } from '../support/bench-kit.js';
import { costLine, MeasuredPrinter } from './chromium-print.js';

const [REPORT, ROUNDS = '3'] = process.argv.slice(2);
if (!REPORT) throw new Error('usage: passes.ts REPORT.html [ROUNDS]');
const load = () =>
  os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');

/** Writes `style` into the part's numbering block, whatever the checkout's own API for it. */
async function setStyle(part: ReportPart, style: string): Promise<void> {
  const handle = await fsp.open(part.html, 'r+');
  try {
    const block = Buffer.alloc(224, ' ');
    Buffer.from(style).copy(block);
    await handle.write(block, 0, block.length, part.numberingAt);
  } finally {
    await handle.close();
  }
}

async function twoAtOnce(parts: readonly ReportPart[], job: (part: ReportPart, i: number) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < parts.length) {
      const i = next++;
      await job(parts[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: DEFAULT_PARTED_PRINT.concurrency }, worker));
}

const dir = makeBenchDir('report-passes');
try {
  const parts = await cutReport(REPORT, dir, DEFAULT_PARTED_PRINT);
  for (let round = 1; round <= Number(ROUNDS); round++) {
    const printer = await MeasuredPrinter.open(path.join(dir, `profile-${round}`));
    try {
      const pass = async (name: string, style: (i: number) => string) => {
        const before = load();
        const cost = await printer.measure(() =>
          twoAtOnce(parts, async (part, i) => {
            await setStyle(part, style(i));
            await printer.printDocument(part.html, path.join(dir, `part-${i}.pdf`));
          }),
        );
        console.log(`  ${name}: ${costLine(cost)} (load ${before} → ${load()})`);
        return cost;
      };
      console.log(`round ${round}, ${parts.length} parts`);
      const counting = await pass('counting pass', () => partPageStyle(1, null));
      const numbered = await pass('numbered pass', () => partPageStyle(1, 4020));
      const cpu = (c: typeof counting) => Object.values(c.byType).reduce((s, t) => s + t.cpuSeconds, 0);
      console.log(
        `  counting share: wall ${((100 * counting.seconds) / (counting.seconds + numbered.seconds)).toFixed(1)} %, Chromium CPU ${((100 * cpu(counting)) / (cpu(counting) + cpu(numbered))).toFixed(1)} % (${cpu(counting).toFixed(1)} s of ${(cpu(counting) + cpu(numbered)).toFixed(1)} s)`,
      );
    } finally {
      await printer.close();
    }
  }
} finally {
  removeBenchDir(dir);
}
