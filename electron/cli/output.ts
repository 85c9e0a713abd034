import type { Progress } from '../../shared/domain.js';
import { escapeUntrusted } from '../core/escape-untrusted.js';

/** Options every command accepts (docs/CLI.md, "Global options and the store": `--store DIR`, `--json`). */
export interface GlobalOptions {
  readonly store?: string;
  readonly json?: boolean;
}

/** Where a command writes: results on stdout, messages and progress on stderr. */
export class Output {
  /** A progress line is on the terminal, not yet ended (`progressDone`). */
  private progressShown = false;
  /** The keys of the messages said once (`messageOnce`). */
  private readonly saidOnce = new Set<string>();

  constructor(
    readonly json: boolean,
    private readonly stdout: NodeJS.WritableStream = process.stdout,
    private readonly stderr: NodeJS.WriteStream = process.stderr,
  ) {}

  /** The machine-readable result (with --json). */
  result(value: unknown): void {
    this.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /**
   * A line of the human-readable result (without --json). Control and bidi characters are shown
   * escaped: lines carry names, titles and notes from outside, which must not drive the terminal.
   */
  line(text = ''): void {
    if (!this.json) this.stdout.write(`${escapeUntrusted(text)}\n`);
  }

  /**
   * A whole document on stdout (CSV, GraphML), with or without --json: byte for byte into a file
   * or a pipe, escaped as `line` on a terminal (titles from outside must not drive it).
   */
  document(text: string): void {
    const tty = (this.stdout as NodeJS.WriteStream).isTTY === true;
    this.stdout.write(tty ? text.split(/\r?\n/).map(escapeUntrusted).join('\n') : text);
  }

  /**
   * A message for the person at the terminal (always stderr, so stdout stays parseable), escaped as
   * `line`, on a line of its own: a progress line being drawn is ended first.
   */
  message(text: string): void {
    this.progressDone();
    this.stderr.write(`${escapeUntrusted(text)}\n`);
  }

  /** `message`, said only the first time this command asks with `key` (a wait it may meet twice). */
  messageOnce(key: string, text: string): void {
    if (this.saidOnce.has(key)) return;
    this.saidOnce.add(key);
    this.message(text);
  }

  /** Progress on stderr, only when it is a terminal (one line, redrawn); quiet otherwise. */
  progress(progress: Progress): void {
    if (!this.stderr.isTTY) return;
    const percent = progress.total > 0 ? Math.floor((progress.done / progress.total) * 100) : 100;
    this.stderr.write(`\r\x1b[K${progress.label ?? ''} ${percent}% (${progress.done}/${progress.total})`);
    this.progressShown = true;
  }

  /**
   * Ends the progress line, if one is drawn (the line cleared): before any message, a result, or
   * the error that ends the command, so none is written after the progress on its line. Safe to
   * call on every exit path, any number of times.
   */
  progressDone(): void {
    if (!this.progressShown) return;
    this.progressShown = false;
    this.stderr.write('\r\x1b[K');
  }
}

/** Bytes as a person reads them. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** Left-aligned columns for a plain-text table. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, [...cell].length);
    });
  }
  return rows
    .map((row) =>
      row
        .map((cell, i) =>
          i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - [...cell].length),
        )
        .join('  '),
    )
    .join('\n');
}
