/**
 * The packaging config, checked without the Electron binary: `electron-builder --linux dir` packs
 * the built app around a stand-in Electron folder (an executable holding only a fuse wire), then
 * the archive's contents, the unpacked native files and the fuses written by the afterPack step
 * are read back. The Electron build of better-sqlite3 cannot be fetched here either: where
 * `npm run electron:sqlite` has not made one, a marked stand-in file takes its place in native/
 * for the test's duration (the test checks that it is packed, not that it loads).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { extractFile, listPackage } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAppOnce } from '../support/built-app.js';
import { makeTempDir, removeTempDir } from '../support/temp-store.js';

const run = promisify(execFile);
const repo = path.resolve(import.meta.dirname, '..', '..');
const electronVersion = JSON.parse(
  fs.readFileSync(path.join(repo, 'node_modules', 'electron', 'package.json'), 'utf8'),
).version as string;
const electronSqlite = path.join(
  repo,
  'native',
  `electron-${electronVersion}-linux-x64`,
  'better_sqlite3.node',
);

/** The Electron build of better-sqlite3, or a stand-in for it; returns the function that removes the stand-in. */
function ensureElectronSqlite(): () => void {
  if (fs.existsSync(electronSqlite)) return () => undefined;
  fs.mkdirSync(path.dirname(electronSqlite), { recursive: true });
  fs.writeFileSync(electronSqlite, 'stand-in for better-sqlite3 compiled for Electron (packaging test)\n');
  return () => fs.rmSync(path.dirname(electronSqlite), { recursive: true, force: true });
}

/** electron-builder --linux dir with the stand-in Electron, into `output`. */
function pack(base: string, output: string) {
  return run(
    'npx',
    [
      'electron-builder',
      '--linux',
      'dir',
      `-c.electronDist=${path.join(base, 'electron-dist')}`,
      `-c.directories.output=${output}`,
    ],
    { cwd: repo, env: { ...process.env, CUSTOS_TEST_BUILD: '0' }, maxBuffer: 16 * 1024 * 1024 },
  );
}
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
// Electron's own defaults: RunAsNode, NODE_OPTIONS, inspect and extra file: privileges on.
const DEFAULT_FUSES = '10110001';
// How the wire stores a fuse: the characters '0' and '1'.
const OFF = '0'.charCodeAt(0);
const ON = '1'.charCodeAt(0);

/** A folder shaped like an unpacked Electron build; its `electron` holds a version-1 fuse wire. */
function makeStandInElectron(dir: string): void {
  fs.mkdirSync(path.join(dir, 'resources'), { recursive: true });
  const wire = Buffer.concat([
    Buffer.from(FUSE_SENTINEL),
    Buffer.from([1, DEFAULT_FUSES.length]),
    Buffer.from(DEFAULT_FUSES),
  ]);
  fs.writeFileSync(path.join(dir, 'electron'), Buffer.concat([Buffer.from('#!/bin/sh\nexit 0\n'), wire]), {
    mode: 0o755,
  });
  fs.writeFileSync(path.join(dir, 'version'), '41.7.1');
  fs.writeFileSync(path.join(dir, 'LICENSE'), 'stand-in');
}

describe('electron-builder packs the app (stand-in Electron, no network)', () => {
  let base: string;
  let unpacked: string;
  let entries: string[];
  let removeStandIn: () => void = () => undefined;

  beforeAll(async () => {
    base = makeTempDir('custos-packaging-');
    makeStandInElectron(path.join(base, 'electron-dist'));
    await buildAppOnce();
    removeStandIn = ensureElectronSqlite();
    await pack(base, path.join(base, 'release'));
    unpacked = path.join(base, 'release', 'linux-unpacked');
    entries = listPackage(path.join(unpacked, 'resources', 'app.asar'), { isPack: false }).map((e) =>
      e.split(path.sep).join('/'),
    );
  }, 600_000);

  afterAll(() => {
    removeStandIn();
    removeTempDir(base);
  });

  it('puts the built main, preload, token-check, PDF-join, store-upgrade and integrity-check workers, renderer and replay engine in the archive', () => {
    for (const needed of [
      '/out/electron/main.js',
      '/out/electron/preload.cjs',
      // Verify's token checks run on worker threads from this file (token-check-pool.ts).
      '/out/electron/token-check-worker.mjs',
      // report.pdf's parts are joined on a worker thread from this file (pdf-join-thread.ts).
      '/out/electron/pdf-join-worker.mjs',
      // The upgrade of a store an older Custos wrote runs on a worker thread from this file (store-upgrade.ts).
      '/out/electron/store-upgrade-worker.mjs',
      // The audit's SQLite integrity check runs on a worker thread from this file (integrity-thread.ts).
      '/out/electron/integrity-worker.mjs',
      '/out/renderer/index.html',
      '/out/replay/index.html',
      '/out/replay/replay-frame.js',
      '/out/replay/sw.js',
      '/out/replay/LICENSE-wabac.md',
      '/package.json',
      '/node_modules/better-sqlite3/package.json',
      '/node_modules/better-sqlite3/lib/index.js',
      '/node_modules/zod/package.json',
      '/node_modules/playwright-core/package.json',
    ]) {
      expect(entries).toContain(needed);
    }
  });

  it('leaves sources, tests, maps, type definitions and development tools out of the archive', () => {
    expect([...new Set(entries.map((e) => e.split('/')[1]))].sort()).toEqual([
      'assets',
      'native',
      'node_modules',
      'out',
      'package.json',
    ]);
    expect(
      [...new Set(entries.filter((e) => e.startsWith('/out/')).map((e) => e.split('/')[2]))].sort(),
    ).toEqual(['electron', 'renderer', 'replay']);
    const forbidden = entries.filter(
      (e) =>
        /\.(map|ts|tsx|mts|cts)$/.test(e) ||
        /^\/node_modules\/(electron|electron-builder|vitest|vite|typescript|tsx|esbuild|@biomejs|happy-dom|react|react-dom|@types|@doyensec)\//.test(
          e,
        ) ||
        /^\/node_modules\/better-sqlite3\/(deps|src|build)\//.test(e),
    );
    expect(forbidden).toEqual([]);
  });

  it('packs better-sqlite3 compiled for Electron, unpacked where the app loads it, and not Node’s build', () => {
    const folder = `electron-${electronVersion}-linux-x64`;
    expect(entries).toContain(`/native/${folder}/better_sqlite3.node`);
    const packed = path.join(
      unpacked,
      'resources',
      'app.asar.unpacked',
      'native',
      folder,
      'better_sqlite3.node',
    );
    expect(fs.readFileSync(packed)).toEqual(fs.readFileSync(electronSqlite));
    expect(entries.filter((e) => e.startsWith('/node_modules/better-sqlite3/build/'))).toEqual([]);
    expect(entries.filter((e) => e.startsWith('/native/') && e.endsWith('.node'))).toEqual([
      `/native/${folder}/better_sqlite3.node`,
    ]);
  });

  it('packs the window’s icons, made from assets/icon.svg, byte for byte', () => {
    for (const icon of ['assets/icon.ico', 'assets/icons/256x256.png']) {
      expect(entries).toContain(`/${icon}`);
      expect(extractFile(path.join(unpacked, 'resources', 'app.asar'), icon)).toEqual(
        fs.readFileSync(path.join(repo, icon)),
      );
    }
    expect(entries.filter((e) => e.startsWith('/assets/'))).toEqual([
      '/assets/icon.ico',
      '/assets/icons',
      '/assets/icons/256x256.png',
    ]);
  });

  it('unpacks every native .node file (and libvips) next to the archive, and keeps none inside', () => {
    expect(
      entries.filter(
        (e) =>
          e.endsWith('.node') && !fs.existsSync(path.join(unpacked, 'resources', 'app.asar.unpacked', e)),
      ),
    ).toEqual([]);
    const unpackedDir = path.join(unpacked, 'resources', 'app.asar.unpacked', 'node_modules');
    const libvips = fs.readdirSync(path.join(unpackedDir, '@img', 'sharp-libvips-linux-x64', 'lib'));
    expect(libvips.some((name) => name.startsWith('libvips-cpp.so'))).toBe(true);
    const sharp = fs.readdirSync(path.join(unpackedDir, '@img', 'sharp-linux-x64', 'lib'));
    expect(sharp.some((name) => name.endsWith('.node'))).toBe(true);
  });

  it('runs the afterPack step, which sets the fuses of the packed executable', async () => {
    const fuses = await getCurrentFuseWire(path.join(unpacked, 'custos'));
    expect(fuses[FuseV1Options.RunAsNode]).toBe(OFF);
    expect(fuses[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(OFF);
    expect(fuses[FuseV1Options.EnableNodeCliInspectArguments]).toBe(OFF);
    expect(fuses[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(ON);
    expect(fuses[FuseV1Options.OnlyLoadAppFromAsar]).toBe(ON);
    expect(fuses[FuseV1Options.EnableCookieEncryption]).toBe(ON);
    expect(fuses[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(OFF);
  });
});

describe('the afterPack step (scripts/after-pack.cjs)', () => {
  it('fails the package when it holds no better-sqlite3 for its Electron, naming the command that makes one', async () => {
    const base = makeTempDir('custos-after-pack-');
    try {
      const afterPack = createRequire(import.meta.url)('../../scripts/after-pack.cjs').default as (
        context: unknown,
      ) => Promise<void>;
      const context = {
        appOutDir: base,
        electronPlatformName: 'linux',
        arch: 3, // builder-util's Arch.arm64
        packager: {
          info: { framework: { version: electronVersion } },
          getResourcesDir: (appOutDir: string) => path.join(appOutDir, 'resources'),
          appInfo: { productFilename: 'Custos' },
          executableName: 'custos',
        },
      };
      await expect(afterPack(context)).rejects.toThrow(
        `the package has no better-sqlite3 for its Electron (native/electron-${electronVersion}-linux-arm64), so the app could not open a store; run \`npm run electron:sqlite -- --platform linux --arch arm64\` and package again`,
      );
    } finally {
      removeTempDir(base);
    }
  });
});
