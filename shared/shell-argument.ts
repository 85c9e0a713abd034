/** The shell a person types the command line in: PowerShell on Windows, a POSIX shell elsewhere. */
export type CommandShell = 'posix' | 'powershell';

/** The shell whose quoting a command line shown on this platform (Node's `process.platform`) needs. */
export function shellFor(platform: string): CommandShell {
  return platform === 'win32' ? 'powershell' : 'posix';
}

/**
 * A value (a folder, say) as one argument of a command typed in `shell`, always in single quotes,
 * the one quoting in which each shell expands nothing. A POSIX shell keeps everything inside them
 * and a ' is written '\'' ; PowerShell also ends a string at the curly ‘ ’ ‚ ‛ as at ', so each
 * of them is doubled (a double quote, “ ” „ included, is then a plain character). No cmd form:
 * cmd expands %VAR% even inside quotes.
 */
export function shellArgument(value: string, shell: CommandShell): string {
  if (shell === 'powershell') return `'${value.replace(/['‘’‚‛]/g, '$&$&')}'`;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
