import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../electron/cli/program.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI_DOC = fs.readFileSync(path.join(REPO_ROOT, 'docs/CLI.md'), 'utf8');

/** The commands that do something (not groups such as `case`), with their full path, read from the program itself. */
function leafCommands(
  command: Command,
  prefix: readonly string[] = [],
): { path: string; command: Command }[] {
  return command.commands
    .filter((child) => child.name() !== 'help')
    .flatMap((child) => {
      const names = [...prefix, child.name()];
      const children = leafCommands(child, names);
      return children.length > 0 ? children : [{ path: names.join(' '), command: child }];
    });
}

/** The `## ` sections of docs/CLI.md: heading and body. */
function sections(markdown: string): { heading: string; body: string }[] {
  return markdown
    .split(/^## /m)
    .slice(1)
    .map((part) => {
      const end = part.indexOf('\n');
      return { heading: part.slice(0, end), body: part.slice(end + 1) };
    });
}

const SECTIONS = sections(CLI_DOC);
const program = buildProgram();

describe('docs/CLI.md', () => {
  it.each(leafCommands(program).map((leaf) => [leaf.path, leaf.command] as const))(
    'has a section for `custos %s` naming each of its options',
    (commandPath, command) => {
      const section = SECTIONS.find((s) => s.heading.includes(`\`${commandPath}\``));
      expect(section, `no "## \`${commandPath}\`" section in docs/CLI.md`).toBeDefined();
      const options = command.options.map((option) => option.long).filter((long) => long !== undefined);
      const missing = options.filter((long) => !section?.body.includes(long));
      expect(missing, `options of custos ${commandPath} not described in its section`).toEqual([]);
    },
  );

  it('describes the global options and the four exit statuses', () => {
    const global = program.options.map((option) => option.long).filter((long) => long !== undefined);
    expect(global).toEqual(expect.arrayContaining(['--store', '--json', '--version']));
    for (const long of global) expect(CLI_DOC).toContain(`\`${long}`);
    const exitSection = SECTIONS.find((s) => s.heading === 'Exit status')?.body ?? '';
    for (const status of ['0', '1', '2', '3'])
      expect(exitSection).toMatch(new RegExp(`^\\| ${status} \\|`, 'm'));
  });
});
