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
 * What a message tells a person to do, in the CLI's words or the window's: `again` to do the same
 * again once the cause is dealt with, `restart` when nothing more can be done until the process is
 * started afresh (a failed fsync); and where the window has its own way to do what the CLI does
 * with a command (the audit, a list of cases, watches, remotes or selectors), or none (a restore),
 * how to do it there. The CLI's name commands; the window's never do, since its user may have no
 * terminal: they name a screen, or say in plain words whom to ask.
 */
export interface NextStep {
  readonly again: string;
  readonly restart: string;
  /** How to run the audit (a verb phrase: "run …"). */
  readonly audit: string;
  /** The audit as what checks the store (a noun phrase: "… checks the database"). */
  readonly theAudit: string;
  /** How the store's database is restored from a backup (a verb phrase). */
  readonly restore: string;
  /** Where the cases are listed (a noun phrase: "… shows cases"). */
  readonly cases: string;
  /** Where a case's items are listed (a noun phrase). */
  readonly items: string;
  /** Where the watches are listed (a noun phrase; the window's cards do not show their ids). */
  readonly watches: string;
  /** Where the remotes are listed (a noun phrase). */
  readonly remotes: string;
  /** Where the selectors are listed (a noun phrase). */
  readonly selectors: string;
  /** How to log in to a site with a persona (a verb phrase). */
  readonly personaLogin: string;
  /** How to export case `caseNumber` as a sealed bundle (what follows "export it in a sealed bundle: "). */
  readonly bundleExport: (caseNumber: string) => string;
  /** How to open a bundle sealed with age (a verb phrase; the window has no key or passphrase field). */
  readonly openSealed: string;
  /** How a restore interrupted before it was recorded is finished or undone (a verb phrase). */
  readonly settleRestore: string;
  /** How the recipient trusts a time-stamping authority's root in a verification (what follows "if you trust this authority, "). */
  readonly trustTsaRoot: string;
  /** How the recipient gives a root the investigator added, to trust it too (a verb phrase: "give it …"). */
  readonly giveTsaRoot: string;
  /** How a time-stamping authority's root is added to the store's trusted roots (what follows "if you trust this authority, "). */
  readonly addTsaRoot: string;
  /** Where a Custos bundle is verified (what follows "a Custos bundle is checked "). */
  readonly verifyBundle: string;
  /** How credentials for an S3 remote are given (what follows "no credentials for remote NAME: "). */
  readonly s3Credentials: string;
  /** What checks a bundle or WACZ (a noun phrase: "… does not check"). */
  readonly verifier: string;
  /** What to do when a search is given no text (a sentence without its full stop). */
  readonly searchText: string;
  /** How persona `name`, which does not exist, is made and logged in (what follows "there is no persona named NAME; "). */
  readonly missingPersona: (name: string) => string;
}

/** The CLI's: each command is a process of its own, so running it again is a restart too. */
export const RUN_AGAIN: NextStep = {
  again: 'run the command again',
  restart: 'run the command again',
  audit: 'run `custos audit`',
  theAudit: '`custos audit`',
  restore:
    'restore the database from a backup with `custos restore --from BACKUP` (it checks the backup against store.json)',
  cases: '`custos case list`',
  items: '`custos items --case CASE`',
  watches: '`custos watch list`',
  remotes: '`custos remote list`',
  selectors: '`custos selector list`',
  personaLogin: 'log in with a persona (`custos persona open NAME`)',
  bundleExport: (caseNumber) => `custos export --case ${caseNumber} --out FILE.zip`,
  openSealed: 'pass --identity FILE or --passphrase-file FILE to open it',
  settleRestore:
    'run any write command (such as `custos init`): it finishes the restore, recording it in the custody ledger, or undoes it',
  trustTsaRoot:
    'give its root certificate with --tsa-roots FILE.pem (in the app: "Time-stamping roots you trust" on the Verify screen)',
  giveTsaRoot:
    'give it with --tsa-roots, or under "Time-stamping roots you trust" on the app\'s Verify screen',
  addTsaRoot: 'add its root certificate (custos timestamp --add-root FILE.pem)',
  verifyBundle: 'with custos verify FILE.zip',
  s3Credentials:
    'set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, or add the remote with --profile',
  verifier: 'custos verify',
  searchText: 'give the text to search for, for example `custos search "boat trip"`',
  missingPersona: (name) =>
    `create it and log in with \`custos persona open ${name}\` (\`custos persona list\` lists personas)`,
};
/**
 * The window's words for it: its boxes for a store it cannot read have a Try again button, and any
 * other action is simply done again, so "try again" is true of both (the CLI's would send a person
 * to a command line they may never use); what only a new process mends needs Custos restarted. The
 * audit, the cases, watches, remotes and selectors have screens of their own, a persona logs in in
 * the Live browser, a recipient's time-stamping roots are chosen on the Verify & receive screen; a
 * restore, the store's own time-stamping roots and a remote's credentials are set only outside the
 * window, so the window says whom to ask.
 */
export const WINDOW_AGAIN: NextStep = {
  again: 'try again',
  restart: 'restart Custos',
  audit: 'open Audit store and run the audit',
  theAudit: 'the audit (Audit store)',
  restore:
    "ask whoever keeps this store's backups to restore the database from one (the restore checks the backup against store.json)",
  cases: 'the Cases list',
  items: "the case's Evidence screen",
  watches: 'the Watches screen',
  remotes: 'the Remotes table on the Export screen',
  selectors: 'the Selectors screen',
  personaLogin:
    'log in with a persona (choose it in the capture bar, open the Live browser and log in there)',
  bundleExport: () => 'choose Sealed bundle (.zip) as the format on the Export screen',
  openSealed:
    'this window cannot open it: ask whoever holds its key or passphrase to decrypt it (or the sender for the unsealed .zip), then verify the .zip here',
  settleRestore:
    'close Custos and open it again: opening the store finishes the restore, recording it in the custody ledger, or undoes it (so does any change you make in this window)',
  trustTsaRoot:
    'choose its root certificate under "Time-stamping roots you trust" on the Verify & receive screen and verify again',
  giveTsaRoot: 'choose it under "Time-stamping roots you trust" on the Verify & receive screen',
  addTsaRoot:
    "ask whoever looks after this workstation's Custos to add its root certificate to this store (this window cannot), or choose another authority under Trusted timestamps in Settings",
  verifyBundle: 'under its .zip name on the Verify & receive screen',
  s3Credentials:
    "they are never entered in this window: ask whoever set up this workstation's remotes to give Custos credentials for it (the AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY variables, or an AWS profile), then restart Custos",
  verifier: 'Custos',
  searchText: 'type the text to search for in the search box, for example boat trip',
  missingPersona: () =>
    'make it under Personas in Settings (Settings lists the personas), then choose it in the capture bar, open the Live browser and log in there',
};

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
 * An error of `kind` whose message says what to do next: `saying` builds it for the CLI
 * (`RUN_AGAIN`), and the error keeps it, so that the window words the same message its own way
 * (`messageSaying(WINDOW_AGAIN)`, as the API does with every error it answers).
 */
export function errorSaying(
  kind: ErrorKind,
  saying: (next: NextStep) => string,
  options?: Omit<CustosErrorOptions, 'sayingAgain'>,
): CustosError {
  return new CustosError(kind, saying(RUN_AGAIN), { ...options, sayingAgain: saying });
}

/** Any other failure (exit 3) whose message says what to do next, in the CLI's words or the window's (`errorSaying`). */
export function failureSaying(saying: (next: NextStep) => string, options?: ErrorOptions): CustosError {
  return errorSaying('failure', saying, options);
}

/** `phrase` with its first letter capitalised, to begin a sentence. */
export function asSentence(phrase: string): string {
  return phrase.charAt(0).toUpperCase() + phrase.slice(1);
}

/** The `code` an error carries (a Node errno such as ENOENT, or SQLite's, such as SQLITE_BUSY), if it is a string. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
