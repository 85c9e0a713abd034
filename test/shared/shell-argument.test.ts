import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shellArgument, shellFor } from '../../shared/shell-argument.js';

/** What a POSIX shell (the system's sh) passes to a command for this argument as typed. */
function throughShell(argument: string): string {
  const result = spawnSync('sh', ['-c', `printf %s ${argument}`], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`sh failed on ${argument}: ${result.stderr}`);
  return result.stdout;
}

/** Folders whose names hold what a shell treats apart: quotes of every kind, `$`, `&`, `%`, backslashes, a newline. */
const AWKWARD_FOLDERS = [
  '/home/ana/.config/Custos/store',
  '/home/ana/evidence store',
  "/home/ana/Ana's cases",
  '/home/ana/$HOME `date` "quoted" !1',
  '/home/ana/back\\slash store',
  '/home/ana/trailing backslash\\',
  '/home/ana/new\nline',
  '/home/ana/Operation “Nile”; calc; “x',
  '/home/ana/‘single’ ‚low‛ curly',
  '/home/ana/a & b %PATH% $(id)',
];

describe('a folder as an argument of a command typed in a terminal', () => {
  it('is given to a POSIX shell (macOS, Linux) in single quotes, which keep every character as it is', () => {
    expect(shellArgument('/home/ana/evidence store', 'posix')).toBe("'/home/ana/evidence store'");
    expect(shellArgument("/home/ana/Ana's cases", 'posix')).toBe("'/home/ana/Ana'\\''s cases'");
    for (const folder of AWKWARD_FOLDERS) expect(throughShell(shellArgument(folder, 'posix'))).toBe(folder);
  });

  // No PowerShell on this machine: its quoting is checked by the string's form. In a PowerShell
  // single-quoted string nothing is expanded ($, `, %, & and backslashes are plain characters);
  // PowerShell takes ' and the curly ‘ ’ ‚ ‛ alike as its single quote, each written twice inside.
  it('is given to PowerShell (Windows) in single quotes with every kind of single quote doubled, so that curly quotes cannot end it', () => {
    expect(shellArgument('C:\\Users\\Ana Ruiz\\AppData\\Roaming\\Custos\\store', 'powershell')).toBe(
      "'C:\\Users\\Ana Ruiz\\AppData\\Roaming\\Custos\\store'",
    );
    expect(shellArgument('C:\\Cases\\a”; calc; “b', 'powershell')).toBe("'C:\\Cases\\a”; calc; “b'");
    expect(shellArgument("C:\\Cases\\Ana's ‘x’ ‚y‛", 'powershell')).toBe("'C:\\Cases\\Ana''s ‘‘x’’ ‚‚y‛‛'");
    expect(shellArgument('C:\\Cases\\a & b %PATH% $env:USERNAME\\', 'powershell')).toBe(
      "'C:\\Cases\\a & b %PATH% $env:USERNAME\\'",
    );
    for (const folder of AWKWARD_FOLDERS) {
      const quoted = shellArgument(folder, 'powershell');
      // Read back as PowerShell reads a single-quoted string: a doubled quote is one character.
      const body = quoted.slice(1, -1);
      expect(/^'.*'$/s.test(quoted)).toBe(true);
      expect(body.replace(/(['‘’‚‛])\1/g, '')).not.toMatch(/['‘’‚‛]/);
      expect(body.replace(/(['‘’‚‛])\1/g, '$1')).toBe(folder);
    }
  });

  it('is quoted for PowerShell on Windows and for a POSIX shell elsewhere', () => {
    expect(shellFor('win32')).toBe('powershell');
    expect(shellFor('darwin')).toBe('posix');
    expect(shellFor('linux')).toBe('posix');
  });
});
