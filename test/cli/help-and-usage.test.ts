import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../electron/cli/program.js';
import { TOOL_VERSION } from '../../shared/version.js';
import { type CustosResult, runCustos } from '../support/run-custos.js';
import { makeTempStore, type TempStore } from '../support/temp-store.js';
import { CLI_TEST_TIMEOUT_MS } from './cli-fixtures.js';

/** Every command path of the CLI (`case create`, `audit`, …), read from the program itself so new commands are covered too. */
function commandPaths(command: Command, prefix: readonly string[] = []): string[][] {
  return command.commands
    .filter((child) => child.name() !== 'help')
    .flatMap((child) => {
      const path = [...prefix, child.name()];
      return [path, ...commandPaths(child, path)];
    });
}

const COMMANDS = commandPaths(buildProgram());

describe(
  'custos --help',
  () => {
    const helps = new Map<string, CustosResult>();

    beforeAll(async () => {
      // Two at a time: each child loads the TypeScript sources, and the machine has two cores.
      const queue = [[], ...COMMANDS];
      const worker = async () => {
        for (let path = queue.shift(); path; path = queue.shift())
          helps.set(path.join(' '), await runCustos([...path, '--help']));
      };
      await Promise.all([worker(), worker()]);
    }, 3 * CLI_TEST_TIMEOUT_MS); // every command, two at a time

    it('covers the commands of the contract', () => {
      const names = COMMANDS.map((path) => path.join(' '));
      for (const required of [
        'init',
        'case create',
        'case list',
        'case show',
        'import',
        'items',
        'item show',
        'note',
        'tag',
        'log',
        'audit',
      ]) {
        expect(names).toContain(required);
      }
    });

    it.each([[''], ...COMMANDS.map((path) => [path.join(' ')])])(
      '`custos %s --help` prints usage with an example and exits 0',
      (name) => {
        const result = helps.get(name);
        expect(result, `no help collected for "${name}"`).toBeDefined();
        expect(result?.status).toBe(0);
        expect(result?.stdout).toMatch(/^Usage: custos/m);
        expect(result?.stdout).toMatch(/Examples?:\n\s+custos /);
      },
    );
  },
  CLI_TEST_TIMEOUT_MS,
);

describe(
  'custos usage errors',
  () => {
    let temp: TempStore;

    beforeAll(() => {
      temp = makeTempStore({ caseNumber: 'BE-1' });
    });
    afterAll(() => temp.remove());

    it('exits 2 and names an unknown command', async () => {
      const result = await runCustos(['bogus'], { store: temp.dir });
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/unknown command 'bogus'/);
      expect(result.stdout).toBe('');
    });

    it('exits 2 and names an unknown option of a command', async () => {
      const result = await runCustos(['case', 'list', '--bogus'], { store: temp.dir });
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/unknown option '--bogus'/);
    });

    it('exits 2 and names an unknown global option', async () => {
      const result = await runCustos(['--bogus', 'audit'], { store: temp.dir });
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/unknown option '--bogus'/);
    });

    it('exits 2 and names a missing required option', async () => {
      const result = await runCustos(['case', 'create', '--title', 'Boats'], { store: temp.dir });
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/required option '--number <ref>' not specified/);
    });

    it('exits 2 and names a missing argument', async () => {
      const result = await runCustos(['import', '--case', 'BE-1'], { store: temp.dir });
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/missing required argument/);
    });

    it('exits 2 with the usage on stderr when no command is given', async () => {
      const result = await runCustos([], { store: temp.dir });
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/^Usage: custos/m);
    });

    it('prints its version and exits 0', async () => {
      const result = await runCustos(['--version']);
      expect(result.status).toBe(0);
      expect(result.stdout.trim()).toBe(TOOL_VERSION);
    });
  },
  CLI_TEST_TIMEOUT_MS,
);
