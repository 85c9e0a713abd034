/**
 * Which better-sqlite3 build a process loads. Electron cannot run here, so the choice is made with
 * `process.versions` as Electron reports it (an `electron` entry) and checked as data; loading a
 * named build through better-sqlite3's `nativeBinding` option is checked for real, on Node.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EvidenceStore } from '../../electron/core/store/evidence-store.js';
import { loadSqliteBindingFrom } from '../../electron/core/store/sqlite-binding.js';
import {
  chooseSqliteBinding,
  ELECTRON_SQLITE_COMMAND,
  type SqliteBindingContext,
} from '../../electron/main/sqlite-native.js';
import { makeTempDir, makeTempStore, removeTempDir } from '../support/temp-store.js';

const repo = path.resolve(import.meta.dirname, '..', '..');
const nodeBuild = path.join(
  repo,
  'node_modules',
  'better-sqlite3',
  'build',
  'Release',
  'better_sqlite3.node',
);

function context(overrides: Partial<SqliteBindingContext>): SqliteBindingContext {
  return {
    versions: { node: '20.19.0', electron: '41.7.1' },
    platform: 'linux',
    arch: 'x64',
    appRoot: '/home/ana/custos',
    packaged: false,
    exists: () => true,
    ...overrides,
  };
}

describe('the better-sqlite3 build the app loads', () => {
  afterEach(() => loadSqliteBindingFrom(null));

  it('on Node (the CLI, the tests) keeps npm’s own build in node_modules', () => {
    expect(chooseSqliteBinding(context({ versions: process.versions }))).toEqual({ kind: 'node' });
    const store = makeTempStore({ caseNumber: 'BE-1' });
    try {
      const reader = store.openForReading();
      expect(reader.listCases().map((c) => c.number)).toEqual(['BE-1']);
      reader.close();
    } finally {
      store.remove();
    }
  });

  it('in Electron, in a checkout, loads native/electron-<version>-<platform>-<arch>/better_sqlite3.node', () => {
    const seen: string[] = [];
    const choice = chooseSqliteBinding(
      context({
        exists: (file) => {
          seen.push(file);
          return true;
        },
      }),
    );
    const file = path.join('/home/ana/custos', 'native', 'electron-41.7.1-linux-x64', 'better_sqlite3.node');
    expect(choice).toEqual({ kind: 'electron', file });
    expect(seen).toEqual([file]);
  });

  it('in a packaged app, loads the build unpacked beside the archive (the operating system cannot load it from inside)', () => {
    const appRoot = path.join('/opt', 'Custos', 'resources', 'app.asar');
    const choice = chooseSqliteBinding(
      context({ appRoot, packaged: true, platform: 'win32', arch: 'arm64' }),
    );
    expect(choice).toEqual({
      kind: 'electron',
      file: path.join(
        '/opt',
        'Custos',
        'resources',
        'app.asar.unpacked',
        'native',
        'electron-41.7.1-win32-arm64',
        'better_sqlite3.node',
      ),
    });
  });

  it('without the Electron build, says which file is missing and the command that makes it', () => {
    const choice = chooseSqliteBinding(context({ exists: () => false }));
    expect(choice.kind).toBe('missing');
    const { message } = choice as { message: string };
    expect(message).toContain('Electron 41.7.1 (linux-x64)');
    expect(message).toContain(path.join('native', 'electron-41.7.1-linux-x64', 'better_sqlite3.node'));
    expect(message).toContain(`run \`${ELECTRON_SQLITE_COMMAND}\``);
    expect(ELECTRON_SQLITE_COMMAND).toBe('npm run electron:sqlite');
    const packaged = chooseSqliteBinding(context({ exists: () => false, packaged: true }));
    expect((packaged as { message: string }).message).toMatch(/installation of Custos is incomplete/);
  });

  it('hands the chosen build to better-sqlite3 (nativeBinding): a store opens with it, and a missing one is named', () => {
    const base = makeTempDir('custos-binding-');
    try {
      // Node's own build, named explicitly, is loaded as the Electron build would be in the app.
      loadSqliteBindingFrom(nodeBuild);
      const store = makeTempStore({ caseNumber: 'BE-2' });
      store.remove();
      const missing = path.join(base, 'electron-0.0.0-linux-x64', 'better_sqlite3.node');
      loadSqliteBindingFrom(missing);
      expect(() => EvidenceStore.openForWriting(path.join(base, 'store'), { create: true })).toThrow(missing);
      expect(fs.existsSync(path.join(base, 'store', 'custos.sqlite'))).toBe(false);
    } finally {
      removeTempDir(base);
    }
  });
});
