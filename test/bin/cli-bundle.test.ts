import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module of the bin folder, without type declarations
import { freshCliBundle } from '../../bin/cli-bundle.mjs';
import { stampedCaseBundle } from '../core/bundle/bundle-fixtures.js';
import { startLocalTsa } from '../support/local-tsa.js';
import { runCustos } from '../support/run-custos.js';
import { makeTempDir, makeTempStore, removeTempDir } from '../support/temp-store.js';

/**
 * `custos` runs a bundle of its sources. The investigator must never run stale code: every change
 * to a source gives a new bundle, and concurrent runs share one without seeing half of it.
 */
describe('the custos command bundle', () => {
  let root: string;
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };
  beforeEach(() => {
    root = makeTempDir('custos-bundle-');
    write('shared/version.ts', "export const VERSION = '1';\n");
    write(
      'electron/core/answer.ts',
      "export async function answer() { return (await import('./late.js')).late; }\n",
    );
    write('electron/core/late.ts', "export const late = 'lazy';\n");
    // The token checks', the PDF join's and the integrity check's worker threads, built as entries of their own beside main.mjs.
    write('electron/core/bundle/token-check-worker.ts', "export const worker = 'token checks';\n");
    write('electron/core/bundle/pdf-join-worker.ts', "export const worker = 'pdf join';\n");
    write('electron/core/store/audit/integrity-worker.ts', "export const worker = 'integrity check';\n");
    write(
      'electron/cli/main.ts',
      "import { VERSION } from '../../shared/version.js';\nimport { answer } from '../core/answer.js';\nexport async function main() { return VERSION + ' ' + (await answer()); }\n",
    );
  });
  afterEach(() => removeTempDir(root));

  const run = async (): Promise<string> => {
    const entry = (await freshCliBundle(root)) as string;
    expect(entry).toMatch(/out\/cli\/[0-9a-f]{16}\/main\.mjs$/);
    expect(fs.existsSync(path.join(path.dirname(entry), 'token-check-worker.mjs'))).toBe(true);
    return (await import(`${entry}?t=${Date.now()}`)).main();
  };

  it('runs the sources as they are, lazily loaded modules included', async () => {
    expect(await run()).toBe('1 lazy');
  });

  it('names its sources relative to the repository whatever folder the building run started in', async () => {
    // This test runs in another folder than `root`: the bundle, which every later run reuses, must
    // not depend on where the first run started (a check of which chunks hold a package reads them).
    expect(process.cwd()).not.toBe(root);
    const entry = (await freshCliBundle(root)) as string;
    const text = fs.readFileSync(entry, 'utf8');
    expect(text).toContain('\n// electron/cli/main.ts\n');
    expect(text).not.toContain('// ../');
  });

  it('rebuilds after any source changes, and reuses the bundle while nothing does', async () => {
    const first = await freshCliBundle(root);
    expect(await freshCliBundle(root)).toBe(first);
    write('shared/version.ts', "export const VERSION = '2';\n");
    expect(await freshCliBundle(root)).not.toBe(first);
    expect(await run()).toBe('2 lazy');
  });

  it('rebuilds when a package built into the bundle changes version, so its old code never runs', async () => {
    const zodVersion = (version: string) => {
      write(
        'node_modules/zod/package.json',
        JSON.stringify({ name: 'zod', version, type: 'module', main: 'index.js' }),
      );
      write('node_modules/zod/index.js', `export const z = 'zod ${version}';\n`);
    };
    zodVersion('4.0.0');
    write('electron/cli/main.ts', "import { z } from 'zod';\nexport async function main() { return z; }\n");
    expect(await run()).toBe('zod 4.0.0');
    zodVersion('4.0.1');
    expect(await run()).toBe('zod 4.0.1');
  });

  it('rebuilds when the build script changes (a build option), so no bundle of the old options runs', async () => {
    // A copy of the script inside `root`, which finds esbuild through a link to the real package.
    const here = path.dirname(fileURLToPath(import.meta.url));
    fs.mkdirSync(path.join(root, 'node_modules'), { recursive: true });
    fs.symlinkSync(path.resolve(here, '../../node_modules/esbuild'), path.join(root, 'node_modules/esbuild'));
    const script = path.resolve(here, '../../bin/cli-bundle.mjs');
    const copy = path.join(root, 'bin/cli-bundle.mjs');
    const freshFrom = async (text: string, version: number): Promise<string> => {
      write('bin/cli-bundle.mjs', text);
      const module = await import(`${pathToFileURL(copy).href}?v=${version}`);
      return (await module.freshCliBundle(root)) as string;
    };
    const original = fs.readFileSync(script, 'utf8');
    const first = await freshFrom(original, 1);
    expect(first).toMatch(/main\.mjs$/);
    const changed = await freshFrom(
      original.replace("platform: 'node',", "platform: 'node',\n      keepNames: true,"),
      2,
    );
    expect(changed).toMatch(/main\.mjs$/);
    expect(changed).not.toBe(first);
  });

  it('concurrent first runs, in one process or several, all get the same whole bundle', async () => {
    const entries = await Promise.all(Array.from({ length: 8 }, () => freshCliBundle(root)));
    expect(new Set(entries).size).toBe(1);
    expect(fs.readdirSync(path.join(root, 'out', 'cli')).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });
});

/** The bare packages a bundle module loads before it runs, with the bundle's own modules they go through. */
function staticPackages(entry: string, seen = new Set<string>()): Set<string> {
  const packages = new Set<string>();
  if (seen.has(entry)) return packages;
  seen.add(entry);
  // esbuild writes static imports at the start of a line (`import { a } from "x";`, `import "x";`);
  // a dynamic `import("x")` is an expression, never that.
  const statics = /^import\s+(?:[^;]*?\sfrom\s*)?"([^"]+)";/gm;
  for (const [, specifier] of fs.readFileSync(entry, 'utf8').matchAll(statics)) {
    if (specifier!.startsWith('.')) {
      for (const p of staticPackages(path.resolve(path.dirname(entry), specifier!), seen)) packages.add(p);
    } else if (!specifier!.startsWith('node:')) packages.add(specifier!);
  }
  return packages;
}

/**
 * Every `custos` command, `--version` and `--help` included, pays for what the command tree loads
 * before it runs: a command's services (SQLite, zod, the entity tables, file sniffing…) are loaded
 * by its action, so that no command waits for another's.
 */
describe('the custos command start-up', () => {
  it('loads no package from node_modules before a command runs (commander is built in)', async () => {
    const entry = (await freshCliBundle()) as string;
    expect([...staticPackages(entry)]).toEqual([]);
  });
});

/**
 * The modules a `custos` run loads, recorded by a module hook that the child process registers
 * (`--import`): each loaded file's URL, one a line.
 */
async function modulesLoadedBy(args: readonly string[], store: string): Promise<string[]> {
  const dir = makeTempDir('custos-loads-');
  try {
    const log = path.join(dir, 'loaded.txt');
    const hooks = path.join(dir, 'hooks.mjs');
    fs.writeFileSync(
      hooks,
      `import fs from 'node:fs';\nexport async function load(url, context, next) {\n  fs.appendFileSync(${JSON.stringify(log)}, url + '\\n');\n  return next(url, context);\n}\n`,
    );
    const register = path.join(dir, 'register.mjs');
    fs.writeFileSync(
      register,
      `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
    );
    const result = await runCustos(args, {
      store,
      env: { NODE_OPTIONS: `--import ${pathToFileURL(register).href}` },
    });
    expect(result.status, result.stderr).toBe(0);
    return fs.readFileSync(log, 'utf8').split('\n').filter(Boolean);
  } finally {
    removeTempDir(dir);
  }
}

/**
 * Whether a loaded module holds zod's code: the package's own files, or a chunk of the bundle that
 * esbuild marks with the path of each file it built in (`// node_modules/zod/…`).
 */
function holdsZod(url: string): boolean {
  if (!url.startsWith('file:')) return false;
  const file = fileURLToPath(url);
  return (
    file.includes(`${path.sep}zod${path.sep}`) ||
    fs.readFileSync(file, 'utf8').includes('// node_modules/zod/')
  );
}

/**
 * zod is a 755 KB chunk of the bundle: commands that only read the store or store files must not
 * wait for it (the store checks its own inputs with shared/text-rules.ts).
 */
describe('the custos commands that read or import', () => {
  it('case list, items and import run without loading zod', { timeout: 120_000 }, async () => {
    const temp = makeTempStore({ caseNumber: 'Z-1' });
    try {
      const file = temp.writeFile('ad.txt', 'crossing 3000 EUR');
      for (const args of [
        ['case', 'list'],
        ['items', '--case', 'Z-1'],
        ['import', file, '--case', 'Z-1'],
      ]) {
        const loaded = await modulesLoadedBy(args, temp.dir);
        expect(loaded.some((url) => url.endsWith('/main.mjs'))).toBe(true);
        expect(loaded.filter(holdsZod), args.join(' ')).toEqual([]);
      }
      // The hook does see zod where a command needs it: personas are checked with its schemas.
      const personas = await modulesLoadedBy(['persona', 'list'], temp.dir);
      expect(personas.filter(holdsZod)).not.toEqual([]);
    } finally {
      temp.remove();
    }
  });
});

/**
 * verify checks a bundle's manifest, capture records and timestamp index with the shapes of
 * format.ts (shape-rules.ts), not zod's schemas: a prosecutor's `custos verify` does not wait for
 * zod's chunk to load and its schemas to compile.
 */
describe('custos verify', () => {
  it('checks a stamped bundle without loading zod', { timeout: 180_000 }, async () => {
    const tsa = await startLocalTsa();
    try {
      const { fixture, bundle } = await stampedCaseBundle(tsa);
      try {
        const loaded = await modulesLoadedBy(
          ['verify', bundle.file, '--tsa-roots', tsa.caFile],
          fixture.temp.dir,
        );
        expect(loaded.some((url) => url.endsWith('/main.mjs'))).toBe(true);
        // The tokens were checked (their code was loaded), so the timestamp index was read.
        expect(loaded.some((url) => /token-check/.test(url))).toBe(true);
        expect(loaded.filter(holdsZod)).toEqual([]);
      } finally {
        fixture.temp.remove();
      }
    } finally {
      await tsa.stop();
    }
  });
});
