import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shellArgument } from '../../shared/shell-argument.js';

/** What a POSIX shell (the system's sh) passes to a command for this argument as typed. */
function throughShell(argument: string): string {
  const result = spawnSync('sh', ['-c', `printf %s ${argument}`], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`sh failed on ${argument}: ${result.stderr}`);
  return result.stdout;
}

describe('a folder as an argument of a command typed in a terminal', () => {
  it('leaves a folder that needs no quoting as it is', () => {
    expect(shellArgument('/home/ana/.config/Custos/store')).toBe('/home/ana/.config/Custos/store');
  });

  it('puts a folder with spaces or a Windows path in double quotes, which every usual shell reads alike', () => {
    expect(shellArgument('/home/ana/evidence store')).toBe('"/home/ana/evidence store"');
    expect(shellArgument('C:\\Users\\Ana Ruiz\\AppData\\Roaming\\Custos\\store')).toBe(
      '"C:\\Users\\Ana Ruiz\\AppData\\Roaming\\Custos\\store"',
    );
  });

  it('gives a POSIX shell the folder exactly, whatever characters it holds', () => {
    for (const folder of [
      '/home/ana/.config/Custos/store',
      '/home/ana/evidence store',
      "/home/ana/Ana's cases",
      '/home/ana/$HOME `date` "quoted" !1',
      '/home/ana/back\\slash store',
      '/home/ana/new\nline',
    ])
      expect(throughShell(shellArgument(folder))).toBe(folder);
  });
});
