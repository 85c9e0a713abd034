import fs from 'node:fs';

/**
 * Command-line arguments exactly as the kernel passed them. Node decodes argv as UTF-8 and turns
 * invalid bytes into U+FFFD, which would make a Linux file whose name is not UTF-8 impossible to
 * open; /proc/self/cmdline keeps the original bytes. Elsewhere (or when nothing was lost) the
 * decoded strings are returned.
 */
export function rawArgs(argv: readonly string[] = process.argv): (string | Buffer)[] {
  const userArgs = argv.slice(2);
  if (!userArgs.some((arg) => arg.includes('\uFFFD'))) return userArgs;
  let cmdline: Buffer;
  try {
    cmdline = fs.readFileSync('/proc/self/cmdline');
  } catch {
    return userArgs;
  }
  const parts: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < cmdline.length; i++) {
    if (cmdline[i] === 0) {
      parts.push(cmdline.subarray(start, i));
      start = i + 1;
    }
  }
  const raw = parts.slice(-userArgs.length);
  if (raw.length !== userArgs.length) return userArgs;
  return userArgs.map((arg, i) => {
    const bytes = raw[i]!;
    return arg.includes('\uFFFD') && bytes.toString('utf8') === arg ? Buffer.from(bytes) : arg;
  });
}

/** The raw form of one argument as commander parsed it (a Buffer when its bytes are not UTF-8). */
export function rawArg(value: string, raws: readonly (string | Buffer)[] = rawArgs()): string | Buffer {
  if (!value.includes('\uFFFD')) return value;
  return raws.find((raw) => typeof raw !== 'string' && raw.toString('utf8') === value) ?? value;
}
