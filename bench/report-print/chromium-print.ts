/**
 * Prints HTML files to PDF with the system Chromium as the CLI's printer does (pdf-printer.ts: the
 * same settings, the PDF streamed to a file), in one browser kept open for several documents, and
 * measures what the print cost the browser's processes: CPU seconds of each and its peak RSS, read
 * from /proc while the print runs.
 */
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { BrowserContext } from 'playwright-core';
import { launchPrintingChromium, printToFile } from '../../electron/core/bundle/pdf-printer.js';

/** One of the browser's processes: its type (browser, renderer, gpu-process, utility). */
interface ProcessSample {
  readonly pid: string;
  readonly type: string;
  readonly cpuSeconds: number;
  readonly rssKib: number;
}

/** What one print cost: wall seconds, and per process type its CPU seconds and largest peak RSS. */
export interface PrintCost {
  readonly seconds: number;
  readonly byType: Readonly<Record<string, { cpuSeconds: number; peakMib: number }>>;
  /** The most RSS all of the browser's processes held at one time. */
  readonly peakTotalMib: number;
}

const CLOCK_TICKS = 100;

/** A headless Chromium in a fresh profile, JavaScript off, printing one document at a time. */
export class MeasuredPrinter {
  private constructor(
    private readonly context: BrowserContext,
    private readonly profile: string,
  ) {}

  static async open(profile: string): Promise<MeasuredPrinter> {
    const context = await launchPrintingChromium(profile);
    return new MeasuredPrinter(context, profile);
  }

  /**
   * Loads `htmlFile` in a page of its own and prints it to `pdfFile`; the cost counts the load and
   * the print. The page is closed after: with no page left, its renderer process ends, and the
   * next document starts in a fresh one (a renderer reused for document after document kept
   * growing: 4.3 GB after nine parts of the bench report).
   */
  async print(htmlFile: string, pdfFile: string): Promise<PrintCost> {
    return this.measure(() => this.printDocument(htmlFile, pdfFile));
  }

  /** Prints one document as the CLI's printer prints each part (pdf-printer.ts), unmeasured. */
  readonly printDocument = async (htmlFile: string, pdfFile: string): Promise<void> => {
    const page = await this.context.newPage();
    try {
      await page.goto(pathToFileURL(htmlFile).href, { waitUntil: 'load', timeout: 1_800_000 });
      await printToFile(await this.context.newCDPSession(page), pdfFile); // as the CLI prints
    } finally {
      await page.close();
    }
  };

  /**
   * Runs `work` (prints in this browser, several at once if it likes) and measures what the
   * browser's processes spent meanwhile: CPU of every process seen (a renderer's last reading is
   * taken before it ends, polled every 50 ms), the largest RSS of any one process, and the
   * largest sum of all of them at one time.
   */
  async measure(work: () => Promise<void>): Promise<PrintCost> {
    const before = new Map(this.processes().map((p) => [p.pid, p]));
    const last = new Map<string, ProcessSample>();
    const peak = new Map<string, number>();
    let peakTotalKib = 0;
    const sample = () => {
      let total = 0;
      for (const p of this.processes()) {
        // An exiting process's cmdline reads empty: its type stays the last one read.
        last.set(p.pid, { ...p, type: p.type || last.get(p.pid)?.type || 'browser' });
        peak.set(p.pid, Math.max(peak.get(p.pid) ?? 0, p.rssKib));
        total += p.rssKib;
      }
      peakTotalKib = Math.max(peakTotalKib, total);
    };
    const sampler = setInterval(sample, 50);
    const start = process.hrtime.bigint();
    try {
      await work();
    } finally {
      clearInterval(sampler);
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const byType: Record<string, { cpuSeconds: number; peakMib: number }> = {};
    for (const p of last.values()) {
      const cpu = p.cpuSeconds - (before.get(p.pid)?.cpuSeconds ?? 0);
      const entry = byType[p.type] ?? { cpuSeconds: 0, peakMib: 0 };
      byType[p.type] = entry;
      entry.cpuSeconds += cpu;
      entry.peakMib = Math.max(entry.peakMib, Math.round((peak.get(p.pid) ?? p.rssKib) / 1024));
    }
    return { seconds, byType, peakTotalMib: Math.round(peakTotalKib / 1024) };
  }

  async close(): Promise<void> {
    await this.context.close();
  }

  /** The browser started with this profile and every process below it. */
  private processes(): ProcessSample[] {
    const all: (ProcessSample & { ppid: string; ours: boolean })[] = [];
    for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
      try {
        const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
        all.push({
          pid,
          ppid: stat[1]!,
          // A renderer forked by the zygote reads as the zygote until it names itself; an exiting process reads empty.
          type: cmdline === '' ? '' : (/--type=([^\s\0]+)/.exec(cmdline)?.[1] ?? 'browser'),
          cpuSeconds: (Number(stat[11]) + Number(stat[12])) / CLOCK_TICKS,
          rssKib: Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0),
          ours: cmdline.includes(this.profile),
        });
      } catch {
        // The process ended while being read.
      }
    }
    const ours = new Set(all.filter((p) => p.ours && p.type === 'browser').map((p) => p.pid));
    for (let grew = true; grew; ) {
      grew = false;
      for (const p of all)
        if (!ours.has(p.pid) && ours.has(p.ppid)) {
          ours.add(p.pid);
          grew = true;
        }
    }
    return all.filter((p) => ours.has(p.pid));
  }
}

/** A cost as one line: wall time, then each process type's CPU seconds and peak RSS. */
export function costLine(cost: PrintCost): string {
  const types = Object.entries(cost.byType)
    .filter(([, c]) => c.cpuSeconds >= 0.05)
    .map(([type, c]) => `${type} ${c.cpuSeconds.toFixed(2)} s CPU, ${c.peakMib} MiB`);
  return `${cost.seconds.toFixed(2)} s wall; ${types.join('; ')}; all of Chromium at most ${cost.peakTotalMib} MiB`;
}
