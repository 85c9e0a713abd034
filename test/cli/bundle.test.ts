import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  otherKey,
  resignManifestText,
  tamper,
  UNENCODABLE_RECORD_EDITS,
} from '../core/bundle/bundle-fixtures.js';
import { hideEntry, shadowDirectory } from '../support/raw-zip.js';
import { REPO_ROOT, runCustos, runCustosJson } from '../support/run-custos.js';
import { makeTempStore, type TempStore } from '../support/temp-store.js';

const sha256File = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('custos export, verify and receive on the command line', { timeout: 240_000 }, () => {
  let sender: TempStore;
  let receiver: TempStore;
  let bundle: string;
  let signer: string;
  let evidence: string;
  beforeAll(async () => {
    sender = makeTempStore({ caseNumber: 'BE-2026-0142' });
    receiver = makeTempStore({ investigator: { name: 'Paula Fiscal' } });
    const files = [
      sender.writeFile('ad.txt', 'crossing Tuesday, 1500 EUR\n'),
      sender.writeFile('photo.bin', randomBytes(4096)),
    ];
    const imported = await runCustos(['import', ...files, '--case', 'BE-2026-0142'], { store: sender.dir });
    expect(imported.status).toBe(0);
    bundle = path.join(sender.base, 'BE-2026-0142.zip');
  });
  afterAll(() => {
    sender.remove();
    receiver.remove();
  });

  /** The bundle sealed with age to a new key: `NAME.zip.age` and its identity file. */
  const sealBundle = (name: string) => {
    const keyFile = path.join(sender.base, `${name}-key.txt`);
    execFileSync('age-keygen', ['-o', keyFile], { stdio: 'pipe' });
    const recipient = execFileSync('age-keygen', ['-y', keyFile], { encoding: 'utf8' }).trim();
    const sealed = path.join(sender.base, `${name}.zip.age`);
    execFileSync('age', ['-r', recipient, '-o', sealed, bundle]);
    return { keyFile, sealed };
  };

  test('export prints the bundle SHA-256 for the custody form, and --json gives it too', async () => {
    const result = await runCustos(['export', '--case', 'BE-2026-0142', '--out', bundle], {
      store: sender.dir,
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`Bundle SHA-256: ${sha256File(bundle)}`);
    signer = /Signed by key: +([0-9a-f]{64})/.exec(result.stdout)![1]!;
    evidence = /Evidence SHA-256 \(on every page of report\.pdf\): ([0-9a-f]{64})/.exec(result.stdout)![1]!;
    const json = await runCustosJson<{ sha256: string; items: string[]; ledgerSeq: number }>(
      ['export', '--case', 'BE-2026-0142', '--out', path.join(sender.base, 'second.zip')],
      { store: sender.dir },
    );
    expect(json.status).toBe(0);
    expect(json.json.sha256).toBe(sha256File(path.join(sender.base, 'second.zip')));
    expect(json.json.items).toHaveLength(2);
  });

  test('verify --json prints the contract shape and exits 0 for a good bundle', async () => {
    const result = await runCustosJson<Record<string, unknown>>([
      'verify',
      bundle,
      '--expect-signer',
      signer,
    ]);
    expect(result.status).toBe(0);
    expect(Object.keys(result.json).slice(0, 5)).toEqual([
      'valid',
      'signer',
      'items',
      'timestamps',
      'problems',
    ]);
    expect(result.json).toMatchObject({ valid: true, signer, timestamps: [], problems: [] });
    expect(result.json.items).toHaveLength(2);
  });

  test('verify of a bundle sealed with age checks the ZIP inside it, as the bundle itself verifies', async () => {
    const { keyFile, sealed } = sealBundle('sealed');
    // The decrypted ZIP is a copy: the hashing threads must read it, not the sealed file.
    const result = await runCustosJson<{ valid: boolean; sealed: boolean; evidenceSha256: string }>([
      'verify',
      sealed,
      '--identity',
      keyFile,
      '--expect-signer',
      signer,
    ]);
    expect(result.status).toBe(0);
    expect(result.json).toMatchObject({ valid: true, sealed: true, evidenceSha256: evidence });
  });

  test('verify starts its hashing threads once for a bundle, sealed or not, and none for bad input', async () => {
    const { keyFile, sealed } = sealBundle('sealed-threads');
    const preload = path.join(REPO_ROOT, 'test', 'support', 'count-workers.mjs');
    const workersOf = async (args: string[], status: number) => {
      const log = path.join(sender.base, `workers-${randomBytes(4).toString('hex')}.log`);
      const result = await runCustos(['verify', ...args], {
        env: {
          CUSTOS_TEST_WORKER_LOG: log,
          NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${preload}`.trim(),
        },
      });
      expect(result.status, result.stderr).toBe(status);
      return fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter(Boolean).length : 0;
    };
    // One per core, up to four (core/worker-pool.ts): the same for a sealed bundle, whose threads
    // run on its decrypted copy only (before, a set was started on the sealed file too, unused).
    const onePool = Math.min(os.availableParallelism(), 4);
    expect(await workersOf([bundle, '--expect-signer', signer], 0)).toBe(onePool);
    expect(await workersOf([sealed, '--identity', keyFile, '--expect-signer', signer], 0)).toBe(onePool);
    expect(await workersOf([path.join(sender.base, 'nope.zip')], 2)).toBe(0);
    expect(await workersOf([sender.base], 2)).toBe(0);
  });

  test('verify without --expect-signer warns on stderr with the fingerprint to compare, and --json says signerChecked false', async () => {
    const human = await runCustos(['verify', bundle]);
    expect(human.status).toBe(0);
    expect(human.stderr).toContain('WARNING: the signer was not checked');
    expect(human.stderr).toContain(signer.replace(/(.{4})(?=.)/g, '$1 '));
    expect(human.stdout).toMatch(/Valid as signed by the key above/);
    const json = await runCustosJson<{ signerChecked: boolean }>(['verify', bundle]);
    expect(json.json.signerChecked).toBe(false);
    expect(json.stderr).toContain('WARNING: the signer was not checked');
    const checked = await runCustosJson<{ signerChecked: boolean; evidenceSha256: string }>([
      'verify',
      bundle,
      '--expect-signer',
      signer,
    ]);
    expect(checked.json.signerChecked).toBe(true);
    expect(checked.json.evidenceSha256).toBe(evidence);
    expect(checked.stderr).not.toContain('WARNING');
  });

  test('verify of a bundle whose disk fails while it is read exits 3 saying so (copy it off, verify the copy), not 1', async () => {
    const preload = path.join(REPO_ROOT, 'test', 'support', 'failing-stick-reads.mjs');
    const failing = await runCustos(['verify', bundle], {
      env: {
        CUSTOS_TEST_FAILING_FILE: bundle,
        NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${preload}`.trim(),
      },
    });
    expect(failing.status, failing.stderr).toBe(3);
    expect(failing.stderr).toContain(
      `the disk holding ${bundle} could not read it (EIO); copy the file off that disk (or check the device) and verify the copy; nothing about the bundle's integrity was decided`,
    );
    expect(failing.stdout).not.toMatch(/INVALID|PROBLEM/);
  });

  test("verify of a sealed bundle: a failing read of its decrypted copy names the temporary folder's disk, a failing read of the .age file that file's disk, before or after decryption started; exit 3 each", async () => {
    const preload = path.join(REPO_ROOT, 'test', 'support', 'failing-stick-reads.mjs');
    const passphrase = sender.writeFile('passphrase.txt', 'correct horse battery staple\n');
    const sealed = path.join(sender.base, 'failing-disks.zip.age');
    const exported = await runCustos(
      ['export', '--case', 'BE-2026-0142', '--out', sealed, '--passphrase-file', passphrase],
      { store: sender.dir },
    );
    expect(exported.status, exported.stderr).toBe(0);
    const verifyWith = (env: Record<string, string>) =>
      runCustos(['verify', sealed, '--passphrase-file', passphrase], {
        env: { ...env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${preload}`.trim() },
      });

    const copy = await verifyWith({ CUSTOS_TEST_FAILING_PATTERN: '/custos-unsealed-[^/]+/bundle\\.zip$' });
    expect(copy.status, copy.stderr).toBe(3);
    expect(copy.stderr).toMatch(
      new RegExp(
        `the disk holding the system's temporary folder could not read \\S+/custos-unsealed-[^/]+/bundle\\.zip, the decrypted copy of ${sealed.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(EIO\\): that disk is failing, not `,
      ),
    );
    expect(copy.stderr).toContain(
      "Check it and run the command again; nothing about the bundle's integrity was decided",
    );
    expect(copy.stderr).not.toContain(`the disk holding ${sealed}`);
    expect(copy.stdout).not.toMatch(/INVALID|PROBLEM/);

    const sealedDiskFailed = `the disk holding ${sealed} could not read it (EIO); copy the file off that disk (or check the device) and verify the copy; nothing about the bundle's integrity was decided`;
    // At the first byte (the age header: before, "the passphrase is wrong", exit 2), and part way
    // through the encrypted payload (before, "damaged or was tampered with", exit 1).
    for (const after of [0, Math.floor(fs.statSync(sealed).size / 2)]) {
      const age = await verifyWith({
        CUSTOS_TEST_FAILING_FILE: sealed,
        CUSTOS_TEST_FAILING_AFTER: String(after),
      });
      expect(age.status, `after ${after} bytes: ${age.stderr}`).toBe(3);
      expect(age.stderr).toContain(sealedDiskFailed);
      expect(age.stderr).not.toMatch(/passphrase is wrong|tampered|temporary folder/);
    }
  });

  test('verify exits 1 naming each difference; 2 for something that is not a bundle', async () => {
    const wrongSigner = await runCustos(['verify', bundle, '--expect-signer', 'ab'.repeat(32)]);
    expect(wrongSigner.status).toBe(1);
    expect(wrongSigner.stdout).toMatch(/PROBLEM {2}signer\.pem: the bundle is signed by key/);
    const damaged = await tamper(bundle, path.join(sender.base, 'damaged.zip'), (files) => {
      const name = [...files.keys()].find((n) => n.endsWith('/original.txt'))!;
      files.set(name, Buffer.from('crossing Thursday, 1500 EUR\n'));
    });
    const tampered = await runCustosJson<{ valid: boolean; problems: { path: string; problem: string }[] }>([
      'verify',
      damaged,
    ]);
    expect(tampered.status).toBe(1);
    expect(tampered.json.valid).toBe(false);
    expect(tampered.json.problems.length).toBeGreaterThan(0);
    const random = path.join(sender.base, 'random.bin');
    fs.writeFileSync(random, randomBytes(1000));
    const notBundle = await runCustos(['verify', random]);
    expect(notBundle.status).toBe(2);
    expect(notBundle.stderr).toMatch(/is not a Custos bundle/);
    expect((await runCustos(['verify', path.join(sender.base, 'nope.zip')])).status).toBe(2);
  });

  test("verify exits 1 for a bundle with a file hidden behind its end record's count (unzip and Python extract it)", async () => {
    const hidden = path.join(sender.base, 'hidden.zip');
    hideEntry(bundle, hidden, 'items/hidden/payload.txt', Buffer.from('planted\n'));
    const result = await runCustosJson<{ valid: boolean; problems: { path: string; problem: string }[] }>([
      'verify',
      hidden,
    ]);
    expect(result.status).toBe(1);
    expect(result.json.valid).toBe(false);
    expect(result.json.problems).toContainEqual({
      path: '(zip)',
      problem: expect.stringMatching(
        /central directory is damaged: it holds more entries than the \d+ its end record counts: a file may be hidden/,
      ),
    });
  });

  test('verify and receive exit 1 for a bundle with a second central directory, holding one more file, where Python and unzip look for it (by its size, back from the end record)', async () => {
    const shadow = path.join(sender.base, 'shadow.zip');
    shadowDirectory(bundle, shadow, 'items/hidden/payload.txt', Buffer.from('planted\n'));
    const result = await runCustosJson<{ valid: boolean; problems: { path: string; problem: string }[] }>([
      'verify',
      shadow,
    ]);
    expect(result.status).toBe(1);
    expect(result.json.valid).toBe(false);
    expect(result.json.problems).toContainEqual({
      path: '(zip)',
      problem: expect.stringMatching(
        /central directory is damaged: it does not end where its end records say: .* a second directory may be hidden there/,
      ),
    });
    const received = await runCustos(['receive', shadow], { store: receiver.dir });
    expect(received.status).toBe(1);
    expect(received.stderr).toMatch(/a second directory may be hidden there/);
  });

  test('verify and receive exit 1 naming a re-signed capture record that cannot be encoded or holds __proto__, with the full report', async () => {
    for (const [index, { edit, reason }] of UNENCODABLE_RECORD_EDITS.entries()) {
      const forged = await tamper(bundle, path.join(sender.base, `unencodable-${index}.zip`), (files) =>
        resignManifestText(files, otherKey(), edit),
      );
      const result = await runCustos(['verify', forged]);
      expect(result.status).toBe(1);
      expect(result.stdout).toMatch(
        /PROBLEM {2}items\/[^/]+\/: its capture record cannot be encoded as canonical JSON \(.+\): the record was changed/,
      );
      expect(result.stdout).toMatch(reason);
      expect(result.stdout).toMatch(/PROBLEM {2}item-records\.jsonl: cannot be checked/);
    }
    const proto = await tamper(bundle, path.join(sender.base, 'proto-record.zip'), (files) =>
      resignManifestText(files, otherKey(), (text) =>
        text.replace('"record": {', '"record": {"__proto__": {"a": 1},'),
      ),
    );
    const refused = await runCustos(['verify', proto]);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toMatch(
      /PROBLEM {2}manifest\.json: is not a bundle manifest: items\.\d+\.record: holds a "__proto__" key/,
    );
    const other = makeTempStore();
    try {
      const received = await runCustos(['receive', path.join(sender.base, 'unencodable-0.zip')], {
        store: other.dir,
      });
      expect(received.status).toBe(1);
      expect(received.stderr).toMatch(/cannot be encoded as canonical JSON/);
      expect(received.stderr).toMatch(/nothing was received/);
    } finally {
      other.remove();
    }
  });

  test('export refuses an existing file and an unknown case with exit 2', async () => {
    const existing = await runCustos(['export', '--case', 'BE-2026-0142', '--out', bundle], {
      store: sender.dir,
    });
    expect(existing.status).toBe(2);
    expect(existing.stderr).toMatch(/already exists; choose another file name/);
    const unknown = await runCustos(['export', '--case', 'NOPE', '--out', path.join(sender.base, 'n.zip')], {
      store: sender.dir,
    });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/case NOPE not found/);
  });

  test('receive takes the bundle in once; a second time changes nothing', async () => {
    const first = await runCustos(['receive', bundle, '--expect-signer', signer], { store: receiver.dir });
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/Received 2 new item\(s\) of 2 into case BE-2026-0142/);
    const log = async () =>
      (await runCustosJson<{ entries: unknown[] }>(['log'], { store: receiver.dir })).json.entries.length;
    const before = await log();
    const second = await runCustos(['receive', bundle], { store: receiver.dir });
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/Already received/);
    expect(await log()).toBe(before);
    expect((await runCustos(['audit'], { store: receiver.dir })).status).toBe(0);
  });

  test('items of a received case name who captured each: the sender for received items, the receiver for their own', async () => {
    const own = receiver.writeFile('reply.txt', 'seen on Friday\n');
    expect((await runCustos(['import', own, '--case', 'BE-2026-0142'], { store: receiver.dir })).status).toBe(
      0,
    );
    const listed = await runCustosJson<{
      items: { source: string; kind: string; capturedBy: { name: string; keyFingerprint: string } }[];
    }>(['items', '--case', 'BE-2026-0142'], { store: receiver.dir });
    const by = Object.fromEntries(listed.json.items.map((i) => [path.basename(i.source), i.capturedBy.name]));
    expect(by).toEqual({ 'ad.txt': 'Ana Ruiz', 'photo.bin': 'Ana Ruiz', 'reply.txt': 'Paula Fiscal' });
    const keys = new Set(listed.json.items.map((i) => i.capturedBy.keyFingerprint));
    expect(keys.size).toBe(2);
    expect(keys.has(signer)).toBe(true);
    const table = await runCustos(['items', '--case', 'BE-2026-0142'], { store: receiver.dir });
    expect(table.stdout).toMatch(/CAPTURED BY/);
    expect(table.stdout).toMatch(/Paula Fiscal \(key [0-9a-f]{8}…\)/);
    expect(table.stdout).toContain(`Ana Ruiz (key ${signer.slice(0, 8)}…)`);
  });

  test('receive of a tampered bundle exits 1, names the problems and writes nothing', async () => {
    const damaged = path.join(sender.base, 'damaged.zip');
    const other = makeTempStore();
    try {
      const result = await runCustos(['receive', damaged], { store: other.dir });
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/PROBLEM/);
      expect(result.stderr).toMatch(/nothing was received/);
      const log = await runCustosJson<{ entries: { action: string }[] }>(['log'], { store: other.dir });
      expect(log.json.entries.map((e) => e.action)).toEqual(['store.init']);
    } finally {
      other.remove();
    }
  });

  test('an export killed with SIGKILL leaves no bundle and a clean store, and the next export removes its half-written file and succeeds', async () => {
    const big = sender.writeFile('video.bin', randomBytes(8 * 1024 * 1024));
    expect((await runCustos(['import', big, '--case', 'BE-2026-0142'], { store: sender.dir })).status).toBe(
      0,
    );
    const entries = async () =>
      (await runCustosJson<{ entries: unknown[] }>(['log'], { store: sender.dir })).json.entries.length;
    const before = await entries();
    const target = path.join(sender.base, 'killed.zip');
    // Killed by itself once 1 MB of the bundle's 8 MB and more is on disk (test/support/kill-export-at.mjs).
    const preload = path.join(REPO_ROOT, 'test', 'support', 'kill-export-at.mjs');
    const killed = await runCustos(['export', '--case', 'BE-2026-0142', '--out', target], {
      store: sender.dir,
      env: {
        CUSTOS_TEST_KILL_EXPORT_AFTER: String(1024 * 1024),
        NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${preload}`.trim(),
      },
    });
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    expect(killed.stderr).toMatch(/killed after \d+ bytes of \.killed\.zip\.\d+\.partial\n/);
    const partial = () =>
      fs.readdirSync(sender.base).find((n) => n.startsWith('.killed.zip.') && n.endsWith('.partial'));
    expect(fs.statSync(path.join(sender.base, partial()!)).size).toBeGreaterThan(1024 * 1024);
    expect(fs.existsSync(target)).toBe(false);
    expect(await entries()).toBe(before);
    const audit = await runCustos(['audit'], { store: sender.dir });
    expect(audit.status).toBe(0);
    const again = await runCustos(['export', '--case', 'BE-2026-0142', '--out', target], {
      store: sender.dir,
    });
    expect(again.status).toBe(0);
    expect(partial()).toBeUndefined();
    expect((await runCustos(['verify', target])).status).toBe(0);
  }, 180_000);
});
