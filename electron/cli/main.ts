import { CommanderError } from 'commander';
import { escapeUntrusted } from '../core/escape-untrusted.js';
import { describeSystemError } from '../core/system-errors.js';
import { buildProgram } from './program.js';

/** Exit statuses of the `custos` command (docs/CLI.md, "Exit status", a contract). */
export const EXIT = { ok: 0, integrity: 1, usage: 2, failure: 3 } as const;

/** Runs the CLI with these arguments and returns the exit status; never throws. */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  program.exitOverride();
  for (const command of allCommands(program)) command.exitOverride();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    return reportError(error);
  }
}

function allCommands(command: ReturnType<typeof buildProgram>): ReturnType<typeof buildProgram>[] {
  return command.commands.flatMap((child) => [child, ...allCommands(child)]);
}

function reportError(error: unknown): number {
  if (error instanceof CommanderError) {
    // Help and version are "errors" to commander; usage mistakes were already printed by it.
    if (
      error.code === 'commander.helpDisplayed' ||
      error.code === 'commander.version' ||
      error.exitCode === 0
    )
      return EXIT.ok;
    return EXIT.usage;
  }
  const known = describeSystemError(error);
  if (known) {
    if (known.cause !== 'reported') process.stderr.write(`custos: ${escapeUntrusted(known.message)}\n`);
    return known.kind === 'bad-input'
      ? EXIT.usage
      : known.kind === 'integrity'
        ? EXIT.integrity
        : EXIT.failure;
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`custos: failed: ${escapeUntrusted(message)}${code ? ` (${code})` : ''}\n`);
  if (process.env.CUSTOS_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  return EXIT.failure;
}

/**
 * Entry point of the `custos` binary. A reader that goes away early (`custos item show ID | head`)
 * closes stdout: the rest of the output has nowhere to go, so the command ends quietly (exit 3,
 * the output was not all written) instead of dying on an unhandled EPIPE with a stack trace. Any
 * other failure to write the output (a full disk, `> /dev/full`, an I/O error) ends it with exit 3
 * too, saying so on stderr: left to Node it was a stack trace and exit 1, which means an integrity
 * failure.
 */
export async function main(): Promise<void> {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && stream === process.stdout) {
        process.stderr.write(
          `custos: cannot write the output (${error.message}): the output is incomplete; free space or write it elsewhere, then run the command again\n`,
        );
      }
      process.exit(EXIT.failure);
    });
  }
  process.exitCode = await runCli(process.argv.slice(2));
}
