import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOS_BIN, REPO_ROOT, runCustos } from '../support/run-custos.js';
import { makeTempStore, type TempStore } from '../support/temp-store.js';
import { CLI_TEST_TIMEOUT_MS } from './cli-fixtures.js';

const ESC = String.fromCharCode(0x1b);
/** A carriage return or an escape sequence: the makings of a progress line. */
const TERMINAL_CONTROL = new RegExp(`[\r${ESC}]`);

describe(
  'progress of long commands',
  () => {
    let temp: TempStore;
    let big: string;

    beforeAll(() => {
      temp = makeTempStore({ caseNumber: 'BE-1' });
      big = temp.writeFile('video.mp4.part', randomBytes(8 * 1024 * 1024));
    });
    afterAll(() => temp.remove());

    it('import --json writes nothing at all on stderr when it is not a terminal', async () => {
      const result = await runCustos(['import', big, '--case', 'BE-1'], { store: temp.dir, json: true });
      expect(result.status).toBe(0);
      expect(result.stderr).toBe('');
    });

    it('import writes only its one-line messages on stderr when it is not a terminal', async () => {
      const result = await runCustos(
        ['import', temp.writeFile('b.bin', randomBytes(3 * 1024 * 1024)), '--case', 'BE-1'],
        { store: temp.dir },
      );
      expect(result.status).toBe(0);
      expect(result.stderr).toMatch(/^imported .*b\.bin → item \S+ sha256 [0-9a-f]{64}$/m);
      expect(result.stderr).not.toMatch(TERMINAL_CONTROL);
      expect(result.stderr).not.toMatch(/importing|%/);
    });

    it('audit writes nothing on stderr when it is not a terminal', async () => {
      const result = await runCustos(['audit'], { store: temp.dir });
      expect(result.status).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout).not.toMatch(TERMINAL_CONTROL);
    });

    it('import shows its progress when stderr is a terminal', async () => {
      // `script` runs the command on a pseudo-terminal, as a person at a console would.
      const command = `${process.execPath} ${CUSTOS_BIN} --store ${temp.dir} import ${temp.writeFile('c.bin', randomBytes(3 * 1024 * 1024))} --case BE-1`;
      const { stdout } = await promisify(execFile)('script', ['-qec', command, '/dev/null'], {
        cwd: REPO_ROOT,
        env: { ...process.env, CUSTOS_STORE: undefined },
      });
      expect(stdout).toContain(`\r${ESC}[K`);
      expect(stdout).toMatch(/importing 1\/1 .*c\.bin/);
      expect(stdout).toMatch(/imported .*c\.bin → item/);
    });
  },
  CLI_TEST_TIMEOUT_MS,
);
