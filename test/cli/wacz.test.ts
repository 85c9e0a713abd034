/**
 * The WACZ export, checked from outside: real Chromium captures of the fixture site (the post, a
 * redirect to it, the lazy feed), exported with `custos export --format wacz` with a real RFC 3161
 * authority, then read back with unzip, coreutils, OpenSSL, WebCrypto and Webrecorder's own
 * ReplayWeb.page (its npm package, served on 127.0.0.1) in headless Chromium after the site is
 * stopped. Tampered copies are made with yazl.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { generateKeyPairSync, sign, webcrypto } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  findChromium,
  OFFLINE_CHROMIUM_SWITCHES,
} from '../../electron/core/capture/browser/browser-discovery.js';
import { readZip, tamper } from '../core/bundle/bundle-fixtures.js';
import { type FixtureServer, startFixtureServer } from '../support/fixture-server.js';
import { localTsaForTests, trustAndAskLocalTsaIn } from '../support/local-tsa.js';
import { hideEntry } from '../support/raw-zip.js';
import { startReplayServer } from '../support/replay-server.js';
import { REPO_ROOT, runCustos, runCustosJson } from '../support/run-custos.js';
import { makeTempStore, type TempStore } from '../support/temp-store.js';
import { type ItemsJson, sha256sum } from './cli-fixtures.js';

const CASE = 'WZ-1';
/** Captures and exports start Node and Chromium: minutes on a busy two-core machine. */
const SLOW = 300_000;
/** The post's heading, as the fixture site's post.html writes it. */
const POST_HEADING = 'رحلات إلى إيطاليا – مكان مضمون';

interface ExportJson {
  readonly file: string;
  readonly sha256: string;
  readonly items: readonly string[];
  readonly signer: string;
  readonly publicKey: string;
  readonly datapackageSha256: string;
  readonly timestamp: { readonly status: string; readonly genTime: string | null };
}

interface VerifyJson {
  readonly valid: boolean;
  readonly signer: string | null;
  readonly signerChecked: boolean;
  readonly pages: number;
  readonly timestamp: {
    readonly valid: boolean;
    readonly trusted: boolean;
    readonly time: string | null;
  } | null;
  readonly problems: readonly { readonly path: string; readonly problem: string }[];
}

/** The shell blocks of docs/BUNDLE-FORMAT.md's "Checking a WACZ": the files and signature, then the token. */
function waczRecipe(): { readonly files: string; readonly token: string } {
  const doc = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'BUNDLE-FORMAT.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## Checking a WACZ'));
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  return { files: blocks[0]!, token: blocks[1]! };
}

/** Runs a recipe in bash in `cwd`; its status and output. */
function runRecipe(script: string, cwd: string): { status: number | null; output: string } {
  const result = spawnSync('bash', ['-c', script], { cwd, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** A JSON file of the WACZ as a forger edits it. */
// biome-ignore lint/suspicious/noExplicitAny: a forger edits the JSON untyped
type AnyJson = Record<string, any>;

const localTsa = localTsaForTests();

describe('custos export --format wacz, and verify FILE.wacz', { timeout: SLOW }, () => {
  let server: FixtureServer;
  let temp: TempStore;
  let wacz: string;
  let exported: ExportJson;
  let unpacked: string;
  let postId: string;

  beforeAll(async () => {
    server = await startFixtureServer();
    temp = makeTempStore({ caseNumber: CASE });
    trustAndAskLocalTsaIn(temp, localTsa());
    const captured = await runCustosJson<ItemsJson>(
      ['capture', server.url('/post.html'), server.url('/r/start'), server.url('/feed.html'), '--case', CASE],
      { store: temp.dir, timeoutMs: SLOW },
    );
    expect(captured.status, captured.stderr).toBe(0);
    postId = captured.json.items[0]!.id;
    wacz = path.join(temp.base, `${CASE}.wacz`);
    const result = await runCustosJson<ExportJson>(
      ['export', '--case', CASE, '--format', 'wacz', '--out', wacz],
      {
        store: temp.dir,
        timeoutMs: SLOW,
      },
    );
    expect(result.status, result.stderr).toBe(0);
    exported = result.json;
    unpacked = path.join(temp.base, 'unpacked');
    fs.mkdirSync(unpacked);
    execFileSync('unzip', ['-q', wacz, '-d', unpacked]);
  }, SLOW);
  afterAll(async () => {
    await server?.close();
    temp?.remove();
  });

  const read = (name: string) => fs.readFileSync(path.join(unpacked, name));
  const json = (name: string): AnyJson => JSON.parse(read(name).toString('utf8'));

  test('lays out a WACZ 1.1.1: every file in datapackage.json with the SHA-256 and size sha256sum finds, one page per capture, a sorted CDXJ index into the WARCs', () => {
    const datapackage = json('datapackage.json');
    expect(datapackage).toMatchObject({ profile: 'data-package', wacz_version: '1.1.1' });
    const files = execFileSync('find', ['.', '-type', 'f'], { cwd: unpacked, encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((f) => f.slice(2))
      .filter((f) => f !== 'datapackage.json' && f !== 'datapackage-digest.json')
      .sort();
    expect(datapackage.resources.map((r: AnyJson) => r.path).sort()).toEqual(files);
    for (const resource of datapackage.resources) {
      const file = path.join(unpacked, resource.path);
      expect(resource.hash, resource.path).toBe(`sha256:${sha256sum(file)}`);
      expect(resource.bytes, resource.path).toBe(fs.statSync(file).size);
    }
    expect(files.filter((f) => f.startsWith('archive/'))).toHaveLength(3);
    expect(files).toContain(`custos/items/${postId}/screenshot.png`);
    expect(files).toContain(`custos/items/${postId}/page.mhtml`);
    expect(files).toContain(`custos/items/${postId}/metadata.json`);

    const [header, ...pages] = read('pages/pages.jsonl')
      .toString('utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(header).toMatchObject({ format: 'json-pages-1.0', id: 'pages' });
    expect(pages.map((p) => p.url)).toEqual([
      server.url('/post.html'),
      server.url('/post.html'),
      server.url('/feed.html'),
    ]);
    expect(pages[0]).toMatchObject({
      title: expect.stringContaining(POST_HEADING),
      ts: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });

    const index = read('indexes/index.cdxj').toString('utf8').trim().split('\n');
    expect([...index].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))).toEqual(index);
    const redirect = index
      .map((line) => JSON.parse(line.slice(line.indexOf('{'))))
      .find((e) => e.url === server.url('/r/start'));
    expect(redirect).toMatchObject({ status: '301', filename: expect.stringMatching(/\.warc\.gz$/) });
    // The offset and length point at one gzip member of that WARC: a WARC response record for the URL.
    const warc = read(`archive/${redirect.filename}`).subarray(
      Number(redirect.offset),
      Number(redirect.offset) + Number(redirect.length),
    );
    expect(execFileSync('gzip', ['-dc'], { input: warc }).toString('latin1')).toMatch(
      new RegExp(
        `^WARC/1\\.1\\r\\n[\\s\\S]*WARC-Target-URI: ${server.url('/r/start').replace(/[.?]/g, '\\$&')}\\r\\n`,
      ),
    );
  });

  test('its signature verifies with WebCrypto as the recommendation describes, the workstation key vouches for the signing key (OpenSSL), and the RFC 3161 token of the digest verifies with openssl ts', async () => {
    const digest = json('datapackage-digest.json');
    const hash = `sha256:${sha256sum(path.join(unpacked, 'datapackage.json'))}`;
    expect(digest).toMatchObject({ path: 'datapackage.json', hash });
    expect(Object.keys(digest.signedData).sort()).toEqual([
      'created',
      'hash',
      'publicKey',
      'signature',
      'software',
      'version',
    ]);
    expect(digest.signedData.hash).toBe(hash);
    const key = await webcrypto.subtle.importKey(
      'spki',
      Buffer.from(digest.signedData.publicKey, 'base64'),
      { name: 'ECDSA', namedCurve: 'P-384' },
      false,
      ['verify'],
    );
    const signature = Buffer.from(digest.signedData.signature, 'base64');
    const ecdsa = { name: 'ECDSA', hash: 'SHA-256' };
    expect(await webcrypto.subtle.verify(ecdsa, key, signature, new TextEncoder().encode(hash))).toBe(true);
    expect(await webcrypto.subtle.verify(ecdsa, key, signature, new TextEncoder().encode(`${hash}0`))).toBe(
      false,
    );

    const binding = json('custos/signer.json');
    expect(binding).toMatchObject({
      publicKey: digest.signedData.publicKey,
      keyFingerprint: exported.signer,
    });
    const opensslVerify = (args: string[]) =>
      execFileSync('openssl', args, { cwd: unpacked, encoding: 'utf8' });
    expect(
      opensslVerify([
        'pkeyutl',
        '-verify',
        '-pubin',
        '-inkey',
        'custos/signer.pem',
        '-rawin',
        '-in',
        'custos/signer.json',
        '-sigfile',
        'custos/signer.json.sig',
      ]),
    ).toMatch(/Signature Verified Successfully/);
    const der = execFileSync('openssl', [
      'pkey',
      '-pubin',
      '-in',
      path.join(unpacked, 'custos/signer.pem'),
      '-outform',
      'DER',
    ]);
    expect(execFileSync('sha256sum', { input: der, encoding: 'utf8' }).slice(0, 64)).toBe(exported.signer);

    const recipe = waczRecipe();
    const files = runRecipe(recipe.files, unpacked);
    expect(files.status, files.output).toBe(0);
    expect(files.output).toMatch(/Verified OK[\s\S]*Signature Verified Successfully/);
    expect(files.output.trim().split('\n').at(-1)).toBe(exported.signer);
    const token = runRecipe(
      `t=$(mktemp -d)\n${recipe.token.replace('ROOT.pem', localTsa().caFile)}`,
      unpacked,
    );
    expect(token.status, token.output).toBe(0);
    expect(token.output).toMatch(/Verification: OK/);

    expect(exported.timestamp.status).toBe('granted');
    const check = localTsa().opensslVerify(Buffer.from(digest.timestamp.token, 'base64'), hash.slice(7));
    expect(check.output).toMatch(/Verification: OK/);
  });

  test('the WACZ replays in ReplayWeb.page (its npm package on 127.0.0.1) with the site stopped: the post shows its text, and the viewer reads the signing key', async () => {
    await server.close();
    const replay = await startReplayServer({ 'case.wacz': wacz });
    const browser = await chromium.launch({
      executablePath: findChromium(),
      headless: true,
      args: [...OFFLINE_CHROMIUM_SWITCHES],
    });
    try {
      const page = await browser.newPage();
      await page.goto(replay.viewerUrl('case.wacz', server.url('/post.html')));
      const replayed = () => page.frames().find((f) => f.url().includes(`mp_/${server.url('/post.html')}`));
      await expect.poll(() => replayed() !== undefined, { timeout: 120_000 }).toBe(true);
      // Visible: laid out and shown in the replay frame, not merely present in the DOM.
      const frame = replayed()!;
      await frame.getByRole('heading', { name: POST_HEADING }).waitFor({ state: 'visible', timeout: 60_000 });
      await frame.getByText('+218 91 234 5678').first().waitFor({ state: 'visible' });
      const collection = /\/w\/([^/]+)\//.exec(frame.url())![1]!;
      // The viewer's own collection API (served by its service worker) says what it read of the signature.
      const info = await page.evaluate(
        async (c) => (await fetch(`/w/api/c/${c}?all=1`)).json() as Promise<{ verify: unknown }>,
        collection,
      );
      expect(info.verify).toMatchObject({
        publicKey: exported.publicKey,
        datapackageHash: `sha256:${exported.datapackageSha256}`,
        software: expect.stringContaining('Custos'),
      });
    } finally {
      await browser.close();
      await replay.close();
    }
  });

  test('custos verify accepts it with the expected signer and the authority root, and exits 2 for a file that is not a WACZ', async () => {
    const result = await runCustosJson<VerifyJson>([
      'verify',
      wacz,
      '--expect-signer',
      exported.signer,
      '--tsa-roots',
      localTsa().caFile,
    ]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.json).toMatchObject({
      valid: true,
      signer: exported.signer,
      signerChecked: true,
      pages: 3,
      problems: [],
    });
    expect(result.json.timestamp).toMatchObject({
      valid: true,
      trusted: true,
      time: exported.timestamp.genTime,
    });
    // Named .zip, it is told a WACZ by its files (the ZIP's directory, read once for both).
    const renamed = path.join(temp.base, 'renamed.zip');
    fs.copyFileSync(wacz, renamed);
    const byContents = await runCustosJson<VerifyJson>([
      'verify',
      renamed,
      '--expect-signer',
      exported.signer,
      '--tsa-roots',
      localTsa().caFile,
    ]);
    expect(byContents.status, byContents.stderr).toBe(0);
    expect(byContents.json).toMatchObject({ valid: true, pages: 3, problems: [] });

    const other = await runCustosJson<VerifyJson>(['verify', wacz, '--expect-signer', 'ab'.repeat(32)]);
    expect(other.status).toBe(1);
    expect(other.json.problems).toContainEqual({
      path: 'datapackage-digest.json',
      problem: expect.stringMatching(/not the key you expected/),
    });

    const text = await runCustos(['verify', temp.writeFile('notes.wacz', 'not a zip')]);
    expect(text.status).toBe(2);
    expect(text.stderr).toMatch(/notes\.wacz is not a WACZ: it is not a readable ZIP archive/);
    const zip = await tamper(wacz, path.join(temp.base, 'plain.wacz'), (files) => {
      for (const name of [...files.keys()]) if (!name.startsWith('custos/')) files.delete(name);
    });
    const noManifest = await runCustos(['verify', zip]);
    expect(noManifest.status).toBe(2);
    expect(noManifest.stderr).toMatch(/is not a WACZ: the ZIP holds no datapackage\.json/);
  });

  test("one flipped byte in a WARC, an edited resource list, a swapped signature and an entry hidden behind the end record's count each fail custos verify with exit 1 naming the file", async () => {
    const warc = `archive/${postId}.warc.gz`;
    const flipped = await tamper(wacz, path.join(temp.base, 'flipped.wacz'), (files) => {
      const bytes = Buffer.from(files.get(warc)!);
      bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
      files.set(warc, bytes);
    });
    const edited = await tamper(wacz, path.join(temp.base, 'edited.wacz'), (files) => {
      const datapackage = JSON.parse(files.get('datapackage.json')!.toString('utf8'));
      datapackage.resources = datapackage.resources.filter((r: AnyJson) => r.path !== warc);
      files.set('datapackage.json', Buffer.from(JSON.stringify(datapackage, null, 2)));
      files.delete(warc);
    });
    const forger = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const swapped = await tamper(wacz, path.join(temp.base, 'swapped.wacz'), (files) => {
      const digest = JSON.parse(files.get('datapackage-digest.json')!.toString('utf8'));
      digest.signedData.signature = sign('sha256', Buffer.from(digest.hash), {
        key: forger.privateKey,
        dsaEncoding: 'ieee-p1363',
      }).toString('base64');
      files.set('datapackage-digest.json', Buffer.from(JSON.stringify(digest, null, 2)));
    });
    const resigned = await tamper(wacz, path.join(temp.base, 'resigned.wacz'), (files) => {
      const digest = JSON.parse(files.get('datapackage-digest.json')!.toString('utf8'));
      digest.signedData.publicKey = forger.publicKey
        .export({ type: 'spki', format: 'der' })
        .toString('base64');
      digest.signedData.signature = sign('sha256', Buffer.from(digest.hash), {
        key: forger.privateKey,
        dsaEncoding: 'ieee-p1363',
      }).toString('base64');
      files.set('datapackage-digest.json', Buffer.from(JSON.stringify(digest, null, 2)));
    });
    const hidden = path.join(temp.base, 'hidden.wacz');
    hideEntry(wacz, hidden, 'archive/hidden.warc.gz', Buffer.from('planted'));
    const cases = [
      { file: flipped, path: warc, problem: /content differs from datapackage\.json/ },
      { file: hidden, path: '(zip)', problem: /holds more entries than the \d+ its end record counts/ },
      { file: edited, path: 'datapackage.json', problem: /does not match its digest/ },
      { file: swapped, path: 'datapackage-digest.json', problem: /signature does not verify/ },
      { file: resigned, path: 'custos/signer.json', problem: /names another signing key/ },
    ];
    const flippedFolder = path.join(temp.base, 'flipped');
    fs.mkdirSync(flippedFolder);
    execFileSync('unzip', ['-q', flipped, '-d', flippedFolder]);
    const recipe = runRecipe(waczRecipe().files, flippedFolder);
    expect(recipe.status).not.toBe(0);
    expect(recipe.output).toContain(`${warc}: FAILED`);
    for (const { file, path: named, problem } of cases) {
      const result = await runCustosJson<VerifyJson>(['verify', file, '--tsa-roots', localTsa().caFile]);
      expect(result.status, file).toBe(1);
      expect(result.json.valid).toBe(false);
      expect(result.json.problems, file).toContainEqual({
        path: named,
        problem: expect.stringMatching(problem),
      });
    }
    const shown = await runCustos(['verify', flipped]);
    expect(shown.stdout).toContain(`PROBLEM  ${warc}: content differs from datapackage.json`);
  });

  test('export --format wacz refuses, with exit 2 and nothing written, an --out not ending in .wacz, an unknown format, an item that is not a page capture, and an age recipient', async () => {
    const imported = await runCustosJson<ItemsJson>(
      ['import', temp.writeFile('chat.txt', 'boat on Friday\n'), '--case', CASE],
      {
        store: temp.dir,
      },
    );
    expect(imported.status, imported.stderr).toBe(0);
    const refusals = [
      {
        args: ['--format', 'wacz', '--out', path.join(temp.base, 'case.zip')],
        message: /must end in \.wacz/,
      },
      {
        args: ['--format', 'tar', '--out', path.join(temp.base, 'case.wacz')],
        message: /unknown --format "tar"; formats are: bundle, wacz/,
      },
      {
        args: [
          '--format',
          'wacz',
          '--item',
          imported.json.items[0]!.id,
          '--out',
          path.join(temp.base, 'case.wacz'),
        ],
        message: /is not a page capture with a WARC; a WACZ holds web captures only/,
      },
      {
        args: [
          '--format',
          'wacz',
          '--recipient',
          'age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq',
          '--out',
          path.join(temp.base, 'case.wacz'),
        ],
        message: /a WACZ is not sealed/,
      },
    ];
    for (const { args, message } of refusals) {
      const result = await runCustos(['export', '--case', CASE, ...args], { store: temp.dir });
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(message);
    }
    expect(fs.readdirSync(temp.base).filter((name) => /^\.?case\./.test(name))).toEqual([]);
  });

  test('a sealed bundle of the case carries the WACZ, listed and signed like every file, which verifies on its own', async () => {
    const bundle = path.join(temp.base, `${CASE}.zip`);
    const result = await runCustos(['export', '--case', CASE, '--out', bundle], {
      store: temp.dir,
      timeoutMs: SLOW,
    });
    expect(result.status, result.stderr).toBe(0);
    const files = await readZip(bundle);
    const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8'));
    expect(manifest.files.map((f: AnyJson) => f.path)).toContain('web-archive.wacz');
    expect(files.get('SHA256SUMS')!.toString('utf8')).toMatch(/^[0-9a-f]{64} {2}web-archive\.wacz$/m);
    expect(files.get('report.html')!.toString('utf8')).toMatch(/ReplayWeb\.page[\s\S]*Choose File/);
    const inner = temp.writeFile('web-archive.wacz', files.get('web-archive.wacz')!);
    const verified = await runCustosJson<VerifyJson>([
      'verify',
      inner,
      '--expect-signer',
      exported.signer,
      '--tsa-roots',
      localTsa().caFile,
    ]);
    expect(verified.status, JSON.stringify(verified.json.problems)).toBe(0);
    expect(verified.json.pages).toBe(3);
    // The WACZ key is derived from the workstation key: the same on every export.
    const innerDigest = JSON.parse((await readZip(inner)).get('datapackage-digest.json')!.toString('utf8'));
    expect(innerDigest.signedData.publicKey).toBe(exported.publicKey);
    const bundleVerified = await runCustos([
      'verify',
      bundle,
      '--expect-signer',
      exported.signer,
      '--tsa-roots',
      localTsa().caFile,
    ]);
    expect(bundleVerified.status, bundleVerified.stdout).toBe(0);
  });

  test("a page capture's screenshot changed on disk stops a bundle's export with exit 1, named by its path in the bundle, not by its place in the WACZ the bundle carries", async () => {
    const store = temp.openForReading();
    const screenshot = store.getItem(postId).record.artifacts.find((a) => a.role === 'screenshot')!;
    const blob = store.blobs.pathOf(screenshot.sha256);
    store.close();
    const original = fs.readFileSync(blob);
    fs.chmodSync(blob, 0o644);
    fs.writeFileSync(
      blob,
      Buffer.concat([original.subarray(0, 40), Buffer.from('X'), original.subarray(41)]),
    );
    try {
      const out = path.join(temp.base, 'changed-blob.zip');
      const result = await runCustos(['export', '--case', CASE, '--out', out], {
        store: temp.dir,
        timeoutMs: SLOW,
      });
      expect(result.status, result.stderr).toBe(1);
      expect(result.stderr).toContain(
        `the stored file of items/${postId}/${screenshot.name} changed on disk`,
      );
      expect(result.stderr).not.toContain('custos/items/');
      expect(fs.existsSync(out)).toBe(false);
    } finally {
      fs.writeFileSync(blob, original);
      fs.chmodSync(blob, 0o444);
    }
  });
});
