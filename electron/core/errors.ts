/**
 * Errors the services raise on purpose. Each carries a message that says what the user can do,
 * and a kind that the CLI maps to its exit status (docs/CLI.md, "Exit status": 1 integrity,
 * 2 bad input, 3 other).
 */
export type ErrorKind = 'bad-input' | 'integrity' | 'failure';

/** An expected failure with a message meant for a person. */
export class CustosError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'CustosError';
  }
}

/** Bad usage or bad input: nothing was written. */
export function badInput(message: string, options?: ErrorOptions): CustosError {
  return new CustosError('bad-input', message, options);
}

/** Tampering or corruption found. */
export function integrityFailure(message: string, options?: ErrorOptions): CustosError {
  return new CustosError('integrity', message, options);
}

/** A verification that found problems, as one integrity failure naming each (`path: problem; …`). */
export function problemsFailure(
  message: string,
  problems: readonly { readonly path: string; readonly problem: string }[],
): CustosError {
  return integrityFailure(`${message}: ${problems.map((p) => `${p.path}: ${p.problem}`).join('; ')}`);
}

/** Any other failure (I/O, network, a busy store). */
export function operationFailure(message: string, options?: ErrorOptions): CustosError {
  return new CustosError('failure', message, options);
}
