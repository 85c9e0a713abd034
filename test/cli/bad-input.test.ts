import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCustos } from '../support/run-custos.js';
import { makeTempDir, makeTempStore, removeTempDir, type TempStore } from '../support/temp-store.js';
import { CLI_TEST_TIMEOUT_MS } from './cli-fixtures.js';
import { filesUnder, storeState } from './store-state.js';

describe(
  'bad input: a clear message, exit 2, nothing written',
  () => {
    let temp: TempStore;
    let good: string;
    let itemId: string;

    beforeAll(async () => {
      temp = makeTempStore({ caseNumber: 'BE-1' });
      good = temp.writeFile('good.txt', 'a good file\n');
      // One item already there, so that "nothing written" also covers blobs and rows that exist.
      const store = temp.open();
      try {
        const { importFile } = await import('../../electron/core/import/import-file.js');
        itemId = (await importFile(store, 'BE-1', temp.writeFile('first.txt', 'first\n'))).id;
      } finally {
        store.close();
      }
    });
    afterAll(() => temp.remove());

    /** Runs a command that must be refused, and checks the store holds exactly what it held before. */
    /** Runs `custos`, expects exit 2 with `message` and nothing written; returns what it printed. */
    async function expectRefused(args: readonly string[], message: RegExp) {
      const before = storeState(temp.dir);
      const result = await runCustos(args, { store: temp.dir });
      expect(result.stderr).toMatch(message);
      expect(result.status, result.stderr).toBe(2);
      expect(result.stdout).toBe('');
      expect(storeState(temp.dir)).toEqual(before);
      return result;
    }

    it('refuses to import a missing file', async () => {
      await expectRefused(
        ['import', path.join(temp.base, 'no-such-file.jpg'), '--case', 'BE-1'],
        /no-such-file\.jpg: no such file; check the path/,
      );
    });

    it('refuses to import a folder', async () => {
      const folder = path.join(temp.base, 'DCIM');
      fs.mkdirSync(folder, { recursive: true });
      await expectRefused(
        ['import', folder, '--case', 'BE-1'],
        /DCIM is a folder; import the files inside it instead/,
      );
    });

    it('refuses to import a named pipe (FIFO) without blocking on it', async () => {
      const fifo = path.join(temp.base, 'pipe');
      execFileSync('mkfifo', [fifo]);
      await expectRefused(['import', fifo, '--case', 'BE-1'], /pipe is a named pipe \(FIFO\), not a file/);
    });

    it('refuses to receive or verify a named pipe (FIFO) with exit 2 instead of hanging, and leaves the writer lock free', async () => {
      const fifo = path.join(temp.base, 'bundle-pipe.zip');
      execFileSync('mkfifo', [fifo]);
      // The bound only turns a hang into a failure; it is not a timing assertion.
      for (const command of ['receive', 'verify']) {
        const result = await runCustos([command, fifo], { store: temp.dir, timeoutMs: 30_000 });
        expect(result.signal, `${command} hung on the FIFO`).toBeNull();
        expect(result.status).toBe(2);
        expect(result.stderr).toMatch(/bundle-pipe\.zip is a named pipe \(FIFO\), not a file/);
      }
      expect((await runCustos(['tag', itemId, 'lock-free'], { store: temp.dir })).status).toBe(0);
    });

    it('refuses to receive a missing file or a folder with exit 2 and a clear message, as verify does', async () => {
      for (const command of ['receive', 'verify']) {
        await expectRefused(
          [command, path.join(temp.base, 'no-such-bundle.zip')],
          /no-such-bundle\.zip: no such file; check the path/,
        );
        await expectRefused([command, temp.base], /is a folder; give the file itself instead/);
      }
    });

    it('refuses to import a dangling symbolic link', async () => {
      const link = path.join(temp.base, 'dangling.jpg');
      fs.symlinkSync(path.join(temp.base, 'gone.jpg'), link);
      await expectRefused(
        ['import', link, '--case', 'BE-1'],
        /dangling\.jpg is a symbolic link to a missing file/,
      );
    });

    it('refuses to import a symbolic link that leads round in a loop, saying so (not "a link to a missing file")', async () => {
      const first = path.join(temp.base, 'loop-a.jpg');
      const second = path.join(temp.base, 'loop-b.jpg');
      fs.symlinkSync(second, first);
      fs.symlinkSync(first, second);
      await expectRefused(
        ['import', first, '--case', 'BE-1'],
        /loop-a\.jpg is a symbolic link that leads round in a loop of links, to no file/,
      );
    });

    it('imports nothing at all when one of several files is bad, wherever it is in the list', async () => {
      const others = [temp.writeFile('a.txt', 'a\n'), temp.writeFile('b.txt', 'b\n')];
      const missing = path.join(temp.base, 'missing.png');
      await expectRefused(
        ['import', others[0]!, missing, others[1]!, '--case', 'BE-1'],
        /missing\.png: no such file/,
      );
      await expectRefused(['import', ...others, missing, '--case', 'BE-1'], /missing\.png: no such file/);
    });

    it('refuses to import into an unknown case', async () => {
      await expectRefused(
        ['import', good, '--case', 'BE-404'],
        /case BE-404 not found; `custos case list` shows cases/,
      );
    });

    it('refuses to list the items of an unknown case', async () => {
      const result = await runCustos(['items', '--case', 'BE-404'], { store: temp.dir });
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/case BE-404 not found/);
    });

    it('refuses a case with an empty or blank title', async () => {
      await expectRefused(
        ['case', 'create', '--number', 'BE-2', '--title', ''],
        /case title must not be empty/,
      );
      await expectRefused(
        ['case', 'create', '--number', 'BE-2', '--title', '   '],
        /case title must not be empty/,
      );
    });

    it('refuses a case number already in use', async () => {
      await expectRefused(
        ['case', 'create', '--number', 'BE-1', '--title', 'Another'],
        /a case numbered BE-1 already exists/,
      );
    });

    it('refuses a note or tag on an unknown item, and an empty note', async () => {
      await expectRefused(['note', 'deadbeef', 'text'], /item deadbeef not found/);
      await expectRefused(['tag', 'deadbeef', 'boat'], /item deadbeef not found/);
      await expectRefused(['note', itemId, '  '], /note must not be empty/);
    });

    it('refuses an empty tag saying only that it is empty', async () => {
      const result = await expectRefused(['tag', itemId, ''], /tag must not be empty/);
      expect(result.stderr).not.toMatch(/single line/);
    });
  },
  CLI_TEST_TIMEOUT_MS,
);

describe(
  'a command before `custos init`',
  () => {
    let base: string;

    beforeAll(() => {
      base = makeTempDir();
    });
    afterAll(() => removeTempDir(base));

    it.each(
      [
        ['case', 'create', '--number', 'BE-1', '--title', 'Boats'],
        ['case', 'list'],
        ['import', 'photo.jpg', '--case', 'BE-1'],
        ['items', '--case', 'BE-1'],
        ['log'],
        ['audit'],
      ].map((args) => [args.join(' '), args] as const),
    )('`custos %s` says to run init first, exits 2 and creates nothing', async (_name, args) => {
      const storeDir = path.join(base, 'store');
      const result = await runCustos(args, { store: storeDir, cwd: base });
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(
        /no Custos store is initialised at .*; run `custos init --investigator NAME` first/,
      );
      expect(fs.existsSync(storeDir)).toBe(false);
      expect(filesUnder(base)).toEqual([]);
    });
  },
  CLI_TEST_TIMEOUT_MS,
);
