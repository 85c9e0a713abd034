import { createRequire } from 'node:module';
import type { RecognizeOptions, Worker } from 'tesseract.js';
import { type LanguageFolder, OCR_LANGUAGES, prepareLanguageFolder } from './ocr-languages.js';

const requireFromHere = createRequire(import.meta.url);

/** A rectangle in a picture's pixels: left, top, right, bottom. */
export interface Box {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

/** One line Tesseract read, with its mean confidence (0–100) and where it is. */
export interface RecognisedLine {
  readonly text: string;
  readonly confidence: number;
  readonly box: Box;
  /** The angle of the line's baseline, in radians (positive: descending to the right), when known. */
  readonly tilt?: number;
}

/** Tesseract parameters set for one call: `tessedit_pageseg_mode`, `tessedit_char_whitelist`… */
export type TesseractParameters = Readonly<Record<string, string>>;

/** Starting a worker (loading four models) takes about 0.7 s idle; under load far more. */
const START_TIMEOUT_MS = 60_000;
/** One picture (at most a 2,000 px strip) takes 0.1–0.4 s idle; past this the worker is stuck. */
export const RECOGNISE_TIMEOUT_MS = 30_000;
/** An idle worker is ended after this long, so a CLI process can exit and the app gives back ~200 MB. */
const IDLE_MS = 1500;

/**
 * The one Tesseract worker of this process (a worker thread: recognition never blocks the main
 * thread), started on first use, ended when idle. Calls are queued: one picture at a time. Every
 * call runs under a timeout; a job cannot be cancelled, so a worker that overruns is terminated
 * and the next call starts a new one.
 */
export class OcrEngine {
  private worker: Promise<Worker> | null = null;
  private folder: LanguageFolder | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private idleTimer: NodeJS.Timeout | null = null;

  /**
   * The lines of a picture (PNG, JPEG… bytes: never a path or URL, which Tesseract would fetch),
   * with Tesseract parameters for this call only (a page segmentation mode, a character whitelist).
   */
  recognise(
    picture: Buffer,
    parameters: TesseractParameters = {},
    timeoutMs = RECOGNISE_TIMEOUT_MS,
  ): Promise<RecognisedLine[]> {
    const run = this.queue.then(() => this.recogniseNow(picture, parameters, timeoutMs));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Ends the worker now (the app closing, a test ending). */
  async stop(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const { worker, folder } = this;
    this.worker = null;
    this.folder = null;
    if (worker) await worker.then((w) => w.terminate()).catch(() => undefined);
    folder?.remove();
  }

  private async recogniseNow(
    picture: Buffer,
    parameters: TesseractParameters,
    timeoutMs: number,
  ): Promise<RecognisedLine[]> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    try {
      const worker = await this.started();
      const result = await withTimeout(
        // tesseract.js passes options it does not know on to Tesseract, and restores them after the call.
        worker.recognize(picture, parameters as Partial<RecognizeOptions>, { blocks: true, text: false }),
        timeoutMs,
        'reading the picture',
      );
      return linesOf(result.data.blocks);
    } catch (error) {
      await this.stop(); // a stuck or crashed worker is replaced by the next call
      throw error;
    } finally {
      this.idleTimer = setTimeout(() => void this.stop(), IDLE_MS);
      this.idleTimer.unref();
    }
  }

  private started(): Promise<Worker> {
    if (!this.worker) {
      const { createWorker, OEM } = requireFromHere('tesseract.js') as typeof import('tesseract.js');
      this.folder = prepareLanguageFolder();
      const starting = createWorker(OCR_LANGUAGES.join('+'), OEM.LSTM_ONLY, {
        langPath: this.folder.dir,
        // Without it Tesseract writes the unpacked models into the working folder.
        cacheMethod: 'none',
        gzip: true,
      });
      // The pictures carry no resolution; without one Tesseract guesses it and warns on every call.
      const configured = starting.then(async (w) => {
        await w.setParameters({ user_defined_dpi: '150' });
        return w;
      });
      // A start that never ends leaves a worker we cannot reach: terminate it if it ever comes.
      this.worker = withTimeout(configured, START_TIMEOUT_MS, 'starting text recognition');
      this.worker.catch(() => starting.then((w) => w.terminate()).catch(() => undefined));
    }
    return this.worker;
  }
}

type Blocks = import('tesseract.js').Block[] | null;

function linesOf(blocks: Blocks): RecognisedLine[] {
  const lines: RecognisedLine[] = [];
  for (const block of blocks ?? [])
    for (const paragraph of block.paragraphs)
      for (const line of paragraph.lines) {
        const text = line.text.trim();
        if (!text) continue;
        const { x0, y0, x1, y1 } = line.baseline;
        const tilt = x1 > x0 ? Math.atan2(y1 - y0, x1 - x0) : undefined;
        lines.push({
          text,
          confidence: line.confidence,
          box: line.bbox,
          ...(tilt === undefined ? {} : { tilt }),
        });
      }
  return lines;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

let shared: OcrEngine | null = null;

/** The process's one OCR engine. */
export function sharedOcrEngine(): OcrEngine {
  shared ??= new OcrEngine();
  return shared;
}
