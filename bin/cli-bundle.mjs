// Builds the `custos` command into one ES module bundle (with lazily loaded chunks) whenever its
// TypeScript sources change, so each run starts in a fraction of the time that loading the
// sources through tsx's hooks takes (about 2 s of CPU per command), and never runs stale code.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE_DIRS = ['electron/cli', 'electron/core', 'shared'];
const KEEP = 3;
/**
 * Packages built into the bundle instead of loaded from node_modules: each is tens or hundreds of
 * small ES modules, and Node resolves, reads and compiles every one of them, where one chunk of
 * the same code loads in a half to a third of the time (measured at load 9-13: zod 75 to 26 ms,
 * libphonenumber-js 61 to 34 ms, age-encryption 132 to 41 ms, pkijs with asn1js 46 to 22 ms).
 * CommonJS packages loaded from ES modules cost more still: Node reads each file's source with its
 * CommonJS lexer to find its exports (yauzl, which every verify loads, 26-30 ms of CPU against
 * 6-8 ms built in; commander, which every command loads, 16-20 ms against 11-13 ms); built in, they
 * `require` Node's modules through the `require` each chunk is given (REQUIRE_BANNER). Only packages
 * without native parts or files read at run time belong here, with the packages they import (a
 * package not listed stays external).
 */
const INLINE_PACKAGES = [
  'commander',
  // the ZIP reader of verify and receive, and what it is made of
  'yauzl',
  'pend',
  'zod',
  'libphonenumber-js',
  // age-encryption and what it is made of
  'age-encryption',
  '@noble/ciphers',
  '@noble/curves',
  '@noble/hashes',
  '@noble/post-quantum',
  '@scure/base',
  // RFC 3161 tokens and certificates
  'pkijs',
  'asn1js',
  '@peculiar/utils',
  'bytestreamjs',
];

/**
 * Given to every module of the bundle: esbuild's ES module output turns a built-in CommonJS
 * package's `require('fs')` into a call of the module's own `require`, which ES modules lack.
 */
const REQUIRE_BANNER =
  "import { createRequire as __custosCreateRequire } from 'node:module';\nconst require = __custosCreateRequire(import.meta.url);";

/**
 * A stamp of every source file's path, size and modification time, of the version of each
 * package built in (a new version of one makes a new bundle) and of this build script.
 */
function sourceStamp(root) {
  const hash = createHash('sha256');
  // This script itself: a changed build option must make a new bundle, never reuse a stale one.
  hash.update(fs.readFileSync(fileURLToPath(import.meta.url)));
  for (const name of INLINE_PACKAGES) {
    const manifest = path.join(root, 'node_modules', name, 'package.json');
    hash.update(fs.existsSync(manifest) ? fs.readFileSync(manifest) : `${name} absent`);
  }
  // npm's record of the installed tree: a copy nested inside a built-in package (its own
  // node_modules) changes it too, where the top-level manifests above do not.
  const installed = path.join(root, 'node_modules', '.package-lock.json');
  if (fs.existsSync(installed)) {
    const stat = fs.statSync(installed);
    hash.update(`installed\0${stat.size}\0${stat.mtimeMs}\n`);
  }
  const walk = (dir) => {
    for (const entry of fs
      .readdirSync(dir, { withFileTypes: true })
      .sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(ts|json)$/.test(entry.name)) {
        const stat = fs.statSync(full);
        hash.update(`${full}\0${stat.size}\0${stat.mtimeMs}\n`);
      }
    }
  };
  for (const dir of SOURCE_DIRS) walk(path.join(root, dir));
  return hash.digest('hex').slice(0, 16);
}

/**
 * The path of an up-to-date bundle's entry module, or null when it cannot be built here (no
 * esbuild, a read-only checkout): the caller then runs the sources through tsx.
 */
export async function freshCliBundle(root = REPO_ROOT) {
  const bundles = path.join(root, 'out', 'cli');
  let stamp;
  try {
    stamp = sourceStamp(root);
  } catch {
    return null;
  }
  const dir = path.join(bundles, stamp);
  const entry = path.join(dir, 'main.mjs');
  if (fs.existsSync(entry)) return entry;
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    return null;
  }
  // Built beside its final place and renamed into it: concurrent runs never see half a bundle.
  // The temporary name is unique per call, not per process: two builds in one process (or a
  // process whose pid was reused) must never write into the same folder.
  const temp = `${dir}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
  try {
    await esbuild.build({
      // The token checks', the PDF join's and the audit's integrity check's worker threads are entries
      // of their own, written beside the chunk that starts them (token-check-pool.ts, pdf-join-thread.ts
      // and integrity-thread.ts find them there).
      entryPoints: {
        main: path.join(root, 'electron/cli/main.ts'),
        'token-check-worker': path.join(root, 'electron/core/bundle/token-check-worker.ts'),
        'pdf-join-worker': path.join(root, 'electron/core/bundle/pdf-join-worker.ts'),
        'integrity-worker': path.join(root, 'electron/core/store/audit/integrity-worker.ts'),
      },
      // Paths (in the chunks' comments) relative to the repository, whatever folder the run that
      // builds the bundle started in: the bundle is the same for every run that reuses it.
      absWorkingDir: root,
      bundle: true,
      splitting: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      plugins: [externalPackagesBut(INLINE_PACKAGES)],
      banner: { js: REQUIRE_BANNER },
      outdir: temp,
      outExtension: { '.js': '.mjs' },
      logLevel: 'silent',
    });
    try {
      fs.renameSync(temp, dir);
    } catch {
      fs.rmSync(temp, { recursive: true, force: true }); // another run renamed its own first
    }
    pruneOldBundles(bundles, stamp);
    return fs.existsSync(entry) ? entry : null;
  } catch {
    fs.rmSync(temp, { recursive: true, force: true });
    // A concurrent run may have put a whole bundle in place while this one failed.
    return fs.existsSync(entry) ? entry : null;
  }
}

/** Leaves every package to be loaded from node_modules at run time, but those named. */
function externalPackagesBut(inline) {
  return {
    name: 'external-packages',
    setup(build) {
      // A bare specifier (`zod`, `node:fs`, `@aws-sdk/client-s3/x`), not a path.
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        const parts = args.path.split('/');
        const name = args.path.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
        return inline.includes(name) ? undefined : { path: args.path, external: true };
      });
    },
  };
}

function pruneOldBundles(bundles, current) {
  const others = fs
    .readdirSync(bundles)
    .filter((name) => name !== current && !name.includes('.tmp-'))
    .map((name) => ({ name, time: fs.statSync(path.join(bundles, name)).mtimeMs }))
    .sort((a, b) => b.time - a.time);
  for (const old of others.slice(KEEP - 1))
    fs.rmSync(path.join(bundles, old.name), { recursive: true, force: true });
}
