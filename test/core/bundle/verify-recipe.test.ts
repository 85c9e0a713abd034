/**
 * VERIFY.txt's contract: its `$ ` lines, run in bash from the unzipped bundle's folder with the
 * recipient's EXPECTED_SIGNER, pass on a good bundle and fail on any tampering, with real bash,
 * coreutils, OpenSSL and jq.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { verifyBundle } from '../../../electron/core/bundle/verify-bundle.js';
import { groupedFingerprint } from '../../../shared/fingerprint-text.js';
import {
  type CaseFixture,
  makeCaseFixture,
  otherKey,
  remadeChecksums,
  resignManifestText,
  writeZip,
} from './bundle-fixtures.js';

/** The `$ ` lines of a VERIFY.txt, without the prompt. */
function recipeCommands(verifyTxt: string): string[] {
  return verifyTxt
    .split('\n')
    .filter((line) => line.startsWith('$ '))
    .map((line) => line.slice(2));
}

/**
 * Runs commands as one bash script in `folder`: with `bash -e` (stopping at the first failure), as
 * VERIFY.txt suggests, or as a plain `bash script` whose status is its last command's.
 */
function runRecipe(
  folder: string,
  commands: readonly string[],
  expectedSigner: string,
  shell: 'bash -e' | 'bash' = 'bash -e',
) {
  const options = shell === 'bash -e' ? ['-e'] : [];
  const result = spawnSync('bash', [...options, '-c', commands.join('\n')], {
    cwd: folder,
    env: { PATH: process.env.PATH, EXPECTED_SIGNER: expectedSigner, LC_ALL: 'C.UTF-8' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** Every file of a folder, by relative path. */
function readFolder(folder: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const name of fs.readdirSync(folder, { recursive: true, encoding: 'utf8' })) {
    const full = path.join(folder, name);
    if (fs.statSync(full).isFile()) files.set(name, fs.readFileSync(full));
  }
  return files;
}

describe('VERIFY.txt run line by line in bash', { timeout: 240_000 }, () => {
  let fixture: CaseFixture;
  let unzipped: string;
  let signer: string;
  let commands: string[];
  let copies = 0;

  /** A fresh copy of the unzipped bundle with `edit` applied to its files. */
  const tampered = (edit: (folder: string, files: Map<string, Buffer>) => void): string => {
    const folder = path.join(fixture.temp.base, `copy-${++copies}`);
    fs.cpSync(unzipped, folder, { recursive: true });
    edit(folder, readFolder(folder));
    return folder;
  };

  beforeAll(async () => {
    fixture = await makeCaseFixture();
    const result = await fixture.exportTo('BE-1.zip');
    signer = result.signer;
    unzipped = path.join(fixture.temp.base, 'unzipped');
    fs.mkdirSync(unzipped);
    const unzip = spawnSync('unzip', ['-q', result.file, '-d', unzipped], { encoding: 'utf8' });
    expect(unzip.status, unzip.stderr).toBe(0);
    commands = recipeCommands(fs.readFileSync(path.join(unzipped, 'VERIFY.txt'), 'utf8'));
  });
  afterAll(() => fixture.temp.remove());

  test('every line of a good bundle passes, with the expected signer', () => {
    expect(commands.length).toBeGreaterThanOrEqual(8);
    const run = runRecipe(unzipped, commands, signer);
    expect(run.output).toContain('every listed file is unchanged');
    expect(run.output).toContain('no file added or missing');
    expect(run.output).toContain('the chain is unbroken');
    expect(run.output).toContain('every custody entry is signed by the key it names');
    expect(run.output).toContain('every item digest is the hash of its record');
    expect(run.output).toContain('every item digest is signed in the custody chain');
    expect(run.status, run.output).toBe(0);
  });

  test('each line run in a bash of its own (a checker that runs and checks the lines one by one) passes on a good bundle and fails at the changed file on a tampered one', () => {
    for (const command of commands) {
      const run = runRecipe(unzipped, [command], signer);
      expect(run.status, `${command}\n${run.output}`).toBe(0);
    }
    const folder = tampered((dir, files) => {
      const name = [...files.keys()].find((n) => n.endsWith('.png'))!;
      const bytes = files.get(name)!;
      bytes[100] = (bytes[100] ?? 0) ^ 1;
      fs.writeFileSync(path.join(dir, name), bytes);
    });
    const failing = commands.filter((command) => runRecipe(folder, [command], signer).status !== 0);
    expect(failing.length).toBeGreaterThan(0);
    expect(failing.some((command) => command.includes('sha256sum'))).toBe(true);
  });

  test('the recipe refuses to run without an expected signer given by the recipient', () => {
    const run = runRecipe(unzipped, commands, '');
    expect(run.status).not.toBe(0);
    expect(run.output).toContain('set EXPECTED_SIGNER');
  });

  test('pasted into an interactive shell without an expected signer, the last line fails: the signer was not checked', () => {
    // an interactive bash (as a recipient pasting the lines) does not stop at a failed `${VAR:?}`
    const pasted = spawnSync('bash', ['--norc', '--noprofile', '-i'], {
      cwd: unzipped,
      input: `${commands.join('\n')}\necho "last status: $?"\n`,
      env: { PATH: process.env.PATH, LC_ALL: 'C.UTF-8' },
      encoding: 'utf8',
      timeout: 120_000,
    });
    const output = `${pasted.stdout}${pasted.stderr}`;
    expect(output).toContain('last status: 1');
    expect(output).not.toContain('ok: every check above passed');
    expect(output).toContain('FAILED: set EXPECTED_SIGNER');
  });

  test('a flipped byte in an artifact fails', () => {
    const folder = tampered((dir, files) => {
      const name = [...files.keys()].find((n) => n.endsWith('.png'))!;
      const bytes = files.get(name)!;
      bytes[100] = (bytes[100] ?? 0) ^ 1;
      fs.writeFileSync(path.join(dir, name), bytes);
    });
    const run = runRecipe(folder, commands, signer);
    expect(run.status).not.toBe(0);
    expect(run.output).toContain('FAILED');
  });

  test('run as a plain bash script (no -e), a changed, missing or planted file still ends it non-zero', () => {
    const png = (files: Map<string, Buffer>) => [...files.keys()].find((n) => n.endsWith('.png'))!;
    const copies = {
      changed: tampered((dir, files) => {
        const bytes = files.get(png(files))!;
        bytes[100] = (bytes[100] ?? 0) ^ 1;
        fs.writeFileSync(path.join(dir, png(files)), bytes);
      }),
      missing: tampered((dir, files) => fs.rmSync(path.join(dir, png(files)))),
      planted: tampered((dir) => fs.writeFileSync(path.join(dir, 'planted.txt'), 'not evidence')),
    };
    for (const [tampering, folder] of Object.entries(copies)) {
      const run = runRecipe(folder, commands, signer, 'bash');
      expect(run.status, tampering).not.toBe(0);
      expect(run.output, tampering).toContain('FAILED: a check above failed');
    }
    const good = runRecipe(unzipped, commands, signer, 'bash');
    expect(good.status, good.output).toBe(0);
    expect(good.output).toContain('ok: every check above passed');
  });

  /** A copy with `from` replaced by `to` in one file, and SHA256SUMS recomputed as a careful forger would. */
  const editedWithSumsRecomputed = (name: string, from: string, to: string): string =>
    tampered((dir, files) => {
      const original = files.get(name)!.toString('utf8');
      expect(original).toContain(from);
      const edited = original.replace(from, to);
      files.set(name, Buffer.from(edited));
      fs.writeFileSync(path.join(dir, name), edited);
      fs.writeFileSync(path.join(dir, 'SHA256SUMS'), remadeChecksums(files));
    });

  test('an edited custody line fails even with SHA256SUMS recomputed, and the custody step alone catches it', () => {
    const folder = editedWithSumsRecomputed(
      'custody.jsonl',
      'received from the victim by e-mail',
      'received from an informant',
    );
    expect(runRecipe(folder, commands, signer).status).not.toBe(0);
    const custodyStep = commands.filter((c) => c.includes('custody-bodies.jsonl'));
    expect(custodyStep).toHaveLength(3);
    const run = runRecipe(folder, custodyStep, signer);
    expect(run.status).not.toBe(0);
    expect(run.output).toContain('FAILED');
  });

  test('an edited capture record fails even with SHA256SUMS recomputed, and the item step alone catches it', () => {
    const folder = editedWithSumsRecomputed('item-records.jsonl', 'chat.txt', 'note.txt');
    expect(runRecipe(folder, commands, signer).status).not.toBe(0);
    const itemStep = commands.filter((c) => c.includes('item-records.jsonl'));
    expect(itemStep).toHaveLength(2);
    const run = runRecipe(folder, itemStep, signer);
    expect(run.status).not.toBe(0);
    expect(run.output).toContain('FAILED');
  });

  test('a planted extra file fails, even listed in a recomputed SHA256SUMS', () => {
    const planted = tampered((dir) => {
      fs.writeFileSync(path.join(dir, 'items', 'planted.txt'), 'not evidence');
    });
    const run = runRecipe(planted, commands, signer);
    expect(run.status).not.toBe(0);
    expect(run.output.split('\n')).toContain('items/planted.txt');
    const listed = tampered((dir, files) => {
      files.set('items/planted.txt', Buffer.from('not evidence'));
      fs.writeFileSync(path.join(dir, 'items', 'planted.txt'), 'not evidence');
      fs.writeFileSync(path.join(dir, 'SHA256SUMS'), remadeChecksums(files));
    });
    expect(runRecipe(listed, commands, signer).status).not.toBe(0);
  });

  test('a bundle re-signed by another key fails when the recipient gives the expected fingerprint', () => {
    const forger = otherKey();
    const folder = tampered((dir, files) => {
      const manifest = files.get('manifest.json')!;
      files.set('manifest.sig', forger.sign(manifest));
      files.set('signer.pem', Buffer.from(forger.publicKeyPem));
      const sums = remadeChecksums(files);
      fs.writeFileSync(path.join(dir, 'manifest.sig'), files.get('manifest.sig')!);
      fs.writeFileSync(path.join(dir, 'signer.pem'), forger.publicKeyPem);
      fs.writeFileSync(path.join(dir, 'SHA256SUMS'), sums);
      fs.writeFileSync(path.join(dir, 'SHA256SUMS.sig'), forger.sign(sums));
    });
    const run = runRecipe(folder, commands, signer);
    expect(run.status).not.toBe(0);
    expect(run.output).not.toContain('signer.pem is the expected key');
    // Given the forger's own fingerprint, the rest of the file checks pass: only the fingerprint
    // obtained by another channel tells the two apart, which is why the recipe requires it.
    const fileSteps = commands.filter((c) => !c.includes('custody'));
    expect(runRecipe(folder, fileSteps, forger.fingerprint).status).toBe(0);
  });

  test('a re-signed capture record holding a __proto__ key fails both the recipe and custos verify', async () => {
    const forger = otherKey();
    let forged = new Map<string, Buffer>();
    const folder = tampered((dir, files) => {
      resignManifestText(files, forger, (text) =>
        text.replace('"record": {', '"record": {"__proto__": {"a": 1},'),
      );
      for (const name of ['manifest.json', 'manifest.sig', 'signer.pem', 'SHA256SUMS', 'SHA256SUMS.sig'])
        fs.writeFileSync(path.join(dir, name), files.get(name)!);
      forged = files;
    });
    // jq keeps the key, so the records it hashes are not item-records.jsonl's lines.
    const itemStep = commands.filter((c) => c.includes('item-records.jsonl'));
    const run = runRecipe(folder, itemStep, forger.fingerprint);
    expect(run.status).not.toBe(0);
    expect(run.output).toContain('FAILED');
    expect(runRecipe(folder, commands, forger.fingerprint).status).not.toBe(0);
    const zip = path.join(fixture.temp.base, 'proto-record.zip');
    await writeZip(zip, forged);
    const report = await verifyBundle(zip);
    expect(report.valid).toBe(false);
    expect(report.problems.map((p) => `${p.path}: ${p.problem}`)).toContain(
      'manifest.json: is not a bundle manifest: items.0.record: holds a "__proto__" key, which JSON readers disagree on; the manifest was changed',
    );
  });

  test('the evidence hash step prints the hash the report carries', () => {
    const step = commands.find((c) => c.startsWith('grep -vE'))!;
    const run = runRecipe(unzipped, [step], signer);
    expect(run.status).toBe(0);
    const hash = run.output.slice(0, 64);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(fs.readFileSync(path.join(unzipped, 'report.html'), 'utf8')).toContain(groupedFingerprint(hash));
    expect(
      execFileSync('pdftotext', [path.join(unzipped, 'report.pdf'), '-'], { encoding: 'utf8' }),
    ).toContain(hash);
  });
});
