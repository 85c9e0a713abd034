/**
 * Errors the services raise on purpose. Each carries a message that says what the user can do,
 * and a kind that the CLI maps to its exit status (docs/CLI.md, "Exit status": 1 integrity,
 * 2 bad input, 3 other).
 */
export type ErrorKind = 'bad-input' | 'integrity' | 'failure';

/** One problem a verification found: the file or object, and what is wrong with it. */
export interface FoundProblem {
  readonly path: string;
  readonly problem: string;
}

/** A verification's refusal: what it said before the list, and each problem it found. */
export interface FoundProblems {
  readonly summary: string;
  readonly problems: readonly FoundProblem[];
}

/**
 * What a check found, apart from what the message says to do about it (a window says that in its
 * own words): `what` in words, and `details` (SQLite's own text, say) for whoever investigates.
 */
export interface Finding {
  readonly what: string;
  readonly details?: string;
}

/**
 * What a message tells a person to do once the cause is dealt with, in the CLI's words or the
 * window's: `again` to do the same again, `restart` when nothing more can be done until the
 * process is started afresh (a failed fsync).
 */
export interface NextStep {
  readonly again: string;
  readonly restart: string;
}

/** The CLI's: each command is a process of its own, so running it again is a restart too. */
export const RUN_AGAIN: NextStep = { again: 'run the command again', restart: 'run the command again' };
/**
 * The window's words for it: its boxes for a store it cannot read have a Try again button, and any
 * other action is simply done again, so "try again" is true of both (the CLI's would send a person
 * to a command line they may never use); what only a new process mends needs Custos restarted.
 */
export const WINDOW_AGAIN: NextStep = { again: 'try again', restart: 'restart Custos' };

/** What an expected failure carries besides its message. */
export interface CustosErrorOptions extends ErrorOptions {
  readonly found?: FoundProblems;
  readonly finding?: Finding;
  /**
   * The message built with another wording of what to do once the cause is dealt with (the one
   * that built it, given `RUN_AGAIN`, made the message): the window says it in its own words.
   */
  readonly sayingAgain?: (next: NextStep) => string;
}

/** An expected failure with a message meant for a person. */
export class CustosError extends Error {
  /** A verification's refusal, kept apart so that a screen can list the problems (the message names them too). */
  readonly found?: FoundProblems;
  /** What the check found, without the message's advice (the message says it too). */
  readonly finding?: Finding;
  private readonly sayingAgain?: (next: NextStep) => string;

  constructor(
    readonly kind: ErrorKind,
    message: string,
    options?: CustosErrorOptions,
  ) {
    super(message, options);
    this.name = 'CustosError';
    if (options?.found) this.found = options.found;
    if (options?.finding) this.finding = options.finding;
    if (options?.sayingAgain) this.sayingAgain = options.sayingAgain;
  }

  /** The message, saying `next` where the CLI's says `RUN_AGAIN` (a message without it as it is). */
  messageSaying(next: NextStep): string {
    return this.sayingAgain?.(next) ?? this.message;
  }
}

/** Bad usage or bad input: nothing was written. */
export function badInput(message: string, options?: ErrorOptions): CustosError {
  return new CustosError('bad-input', message, options);
}

/** Tampering or corruption found. */
export function integrityFailure(message: string, options?: CustosErrorOptions): CustosError {
  return new CustosError('integrity', message, options);
}

/** A verification that found problems, as one integrity failure naming each (`path: problem; …`). */
export function problemsFailure(message: string, problems: readonly FoundProblem[]): CustosError {
  return new CustosError(
    'integrity',
    `${message}: ${problems.map((p) => `${p.path}: ${p.problem}`).join('; ')}`,
    { found: { summary: message, problems } },
  );
}

/** Any other failure (I/O, network, a busy store). */
export function operationFailure(message: string, options?: CustosErrorOptions): CustosError {
  return new CustosError('failure', message, options);
}

/**
 * A failure whose message ends with what to do next: `saying` builds it for the CLI (`RUN_AGAIN`),
 * and the error keeps it, so that the window words the same message its own way.
 */
export function failureSaying(saying: (next: NextStep) => string, options?: ErrorOptions): CustosError {
  return operationFailure(saying(RUN_AGAIN), { ...options, sayingAgain: saying });
}

/** The `code` an error carries (a Node errno such as ENOENT, or SQLite's, such as SQLITE_BUSY), if it is a string. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
