import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOS_BIN, type CustosResult, REPO_ROOT, runCustosJson } from '../support/run-custos.js';
import { makeTempStore, type TempStore } from '../support/temp-store.js';
import {
  blobFile,
  CLI_TEST_TIMEOUT_MS,
  EMPTY_SHA256,
  type ItemJson,
  type ItemsJson,
  sha256sum,
} from './cli-fixtures.js';

interface ImportRecord {
  readonly metadata: {
    readonly originalName: string;
    readonly originalPath: string;
    readonly size: number;
    readonly modifiedAt: string;
    readonly mediaType: string;
    readonly originalNameBytesBase64?: string;
  };
}

/** `custos item show ITEM --json`: the item with its capture record. */
async function showItem(storeDir: string, id: string): Promise<ItemJson & { record: ImportRecord }> {
  const result = await runCustosJson<ItemJson & { record: ImportRecord }>(['item', 'show', id], {
    store: storeDir,
  });
  expect(result.status, result.stderr).toBe(0);
  return result.json;
}

/** Runs a bash script with `custos` as "$CUSTOS" (so that raw bytes in names reach argv untouched). */
function runBash(script: string, env: Readonly<Record<string, string>> = {}): Promise<CustosResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script], {
      cwd: REPO_ROOT,
      env: { ...process.env, CUSTOS_STORE: undefined, CUSTOS: `${process.execPath} ${CUSTOS_BIN}`, ...env },
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (status, signal) =>
      resolve({
        status,
        signal,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      }),
    );
  });
}

describe(
  'custos import keeps the original and describes it',
  () => {
    let temp: TempStore;
    const files: Record<string, string> = {};
    let items: readonly ItemJson[];
    const LONG_NAME = `${'é'.repeat(125)}x.txt`; // 255 bytes of UTF-8, the longest name Linux allows
    const MODIFIED = new Date('2024-05-12T08:30:00.123Z');

    beforeAll(async () => {
      temp = makeTempStore({ caseNumber: 'BE-1' });
      files.binary = temp.writeFile('phone-dump.bin', randomBytes(3 * 1024 * 1024 + 17)); // spans several read chunks
      files.pngNamedTxt = temp.writeFile(
        'screenshot.txt',
        await sharp({ create: { width: 4, height: 3, channels: 3, background: '#c00' } })
          .png()
          .toBuffer(),
      );
      files.textNamedPng = temp.writeFile('notes.png', 'not a picture: plain words\n');
      files.empty = temp.writeFile('empty.dat', '');
      files.longName = temp.writeFile(LONG_NAME, 'a file with a very long name\n');
      fs.utimesSync(files.binary, MODIFIED, MODIFIED);
      const result = await runCustosJson<ItemsJson>(['import', ...Object.values(files), '--case', 'BE-1'], {
        store: temp.dir,
      });
      expect(result.status, result.stderr).toBe(0);
      items = result.json.items;
    }, CLI_TEST_TIMEOUT_MS);
    afterAll(() => temp.remove());

    const itemFor = (key: string) => items[Object.keys(files).indexOf(key)]!;

    it('stores each original byte for byte: the blob and the source have the same sha256sum and bytes', () => {
      for (const [key, file] of Object.entries(files)) {
        const artifact = itemFor(key).artifacts[0]!;
        const blob = blobFile(temp.dir, artifact.sha256);
        expect(sha256sum(blob), key).toBe(sha256sum(file));
        expect(artifact.sha256, key).toBe(sha256sum(file));
        expect(fs.readFileSync(blob).equals(fs.readFileSync(file)), key).toBe(true);
      }
    });

    it('makes each blob read-only', () => {
      const blob = blobFile(temp.dir, itemFor('binary').artifacts[0]!.sha256);
      expect(fs.statSync(blob).mode & 0o222).toBe(0);
    });

    it('records the original name, path, size and modification time', async () => {
      const { record } = await showItem(temp.dir, itemFor('binary').id);
      expect(record.metadata).toMatchObject({
        originalName: 'phone-dump.bin',
        originalPath: files.binary,
        size: 3 * 1024 * 1024 + 17,
        modifiedAt: MODIFIED.toISOString(),
      });
    });

    it('judges the media type by content, not by the name: a PNG named .txt is image/png', async () => {
      expect(itemFor('pngNamedTxt').artifacts[0]?.mediaType).toBe('image/png');
      expect(itemFor('textNamedPng').artifacts[0]?.mediaType).toBe('text/plain');
      expect(itemFor('binary').artifacts[0]?.mediaType).toBe('application/octet-stream');
      const { record } = await showItem(temp.dir, itemFor('pngNamedTxt').id);
      expect(record.metadata).toMatchObject({ originalName: 'screenshot.txt', mediaType: 'image/png' });
    });

    it('accepts a 0-byte file as an item of size 0 with the SHA-256 of nothing', () => {
      expect(itemFor('empty').artifacts).toEqual([
        expect.objectContaining({
          role: 'original',
          size: 0,
          sha256: EMPTY_SHA256,
          mediaType: 'application/octet-stream',
        }),
      ]);
      expect(fs.statSync(blobFile(temp.dir, EMPTY_SHA256)).size).toBe(0);
    });

    it('keeps a 255-byte multi-byte UTF-8 file name whole', async () => {
      expect(Buffer.byteLength(LONG_NAME)).toBe(255);
      const { record } = await showItem(temp.dir, itemFor('longName').id);
      expect(record.metadata.originalName).toBe(LONG_NAME);
    });

    it('imports into a case named by its id as well as by its number', async () => {
      const file = temp.writeFile('by-id.txt', 'imported with the case id\n');
      const result = await runCustosJson<ItemsJson>(['import', file, '--case', temp.caseId!], {
        store: temp.dir,
      });
      expect(result.status, result.stderr).toBe(0);
      const listed = await runCustosJson<ItemsJson>(['items', '--case', 'BE-1'], { store: temp.dir });
      expect(listed.json.items.map((item) => item.id)).toContain(result.json.items[0]?.id);
    });

    it('imports many files as items in the order they were given, each with its own custody entry', async () => {
      const many = Array.from({ length: 40 }, (_, i) =>
        temp.writeFile(`many/${String(i).padStart(2, '0')}.bin`, randomBytes(1000 + i * 997)),
      );
      const result = await runCustosJson<ItemsJson>(['import', ...many, '--case', 'BE-1'], {
        store: temp.dir,
      });
      expect(result.status, result.stderr).toBe(0);
      expect(result.json.items.map((item) => item.artifacts[0]?.sha256)).toEqual(
        many.map((file) => sha256sum(file)),
      );
      const log = await runCustosJson<{ entries: { action: string; subject: string }[] }>(['log'], {
        store: temp.dir,
      });
      const imports = log.json.entries
        .filter((entry) => entry.action === 'item.import')
        .map((entry) => entry.subject);
      expect(imports.slice(-40)).toEqual(result.json.items.map((item) => item.id));
    });

    it('audits clean afterwards', async () => {
      const result = await runCustosJson<{ clean: boolean }>(['audit'], { store: temp.dir });
      expect(result.status).toBe(0);
      expect(result.json.clean).toBe(true);
    });
  },
  CLI_TEST_TIMEOUT_MS,
);

describe(
  'custos import of unusual files',
  () => {
    let temp: TempStore;

    beforeAll(() => {
      temp = makeTempStore({ caseNumber: 'BE-1' });
    });
    afterEach(() => {
      // The 2 GB blob should not sit on the disk longer than its test.
      for (const entry of fs.readdirSync(temp.base))
        if (entry !== 'store') fs.rmSync(path.join(temp.base, entry), { force: true });
    });
    afterAll(() => temp.remove());

    it("imports a file whose name is not valid UTF-8 and records the name's exact bytes", async () => {
      const result = await runBash(
        `cd "$DIR" && printf 'raw name evidence' > "$(printf '\\xff\\xfe.bin')" && exec $CUSTOS --store "$STORE" --json import "$(printf '\\xff\\xfe.bin')" --case BE-1`,
        { DIR: temp.base, STORE: temp.dir },
      );
      expect(result.status, result.stderr).toBe(0);
      const item = (JSON.parse(result.stdout) as ItemsJson).items[0]!;
      // Node turns invalid bytes in a string path into U+FFFD, so the file is read through a Buffer path.
      const rawPath = Buffer.concat([
        Buffer.from(`${temp.base}/`),
        Buffer.from([0xff, 0xfe]),
        Buffer.from('.bin'),
      ]);
      const sha256 = item.artifacts[0]!.sha256;
      expect(fs.readFileSync(blobFile(temp.dir, sha256))).toEqual(fs.readFileSync(rawPath));
      expect(sha256sum(blobFile(temp.dir, sha256))).toBe(sha256);
      expect(fs.readFileSync(rawPath, 'utf8')).toBe('raw name evidence');
      const { record } = await showItem(temp.dir, item.id);
      expect(Buffer.from(record.metadata.originalNameBytesBase64 ?? '', 'base64')).toEqual(
        Buffer.from([0xff, 0xfe, 0x2e, 0x62, 0x69, 0x6e]),
      );
      expect(record.metadata.originalName).toBe('\uFFFD\uFFFD.bin');
    });

    it(
      'imports a 2 GB sparse file with its peak memory under 300 MB',
      async () => {
        const file = path.join(temp.base, 'disk-image.raw');
        execFileSync('truncate', ['-s', '2G', file]);
        const expected = execFileSync('openssl', ['dgst', '-sha256', '-r', file])
          .toString('utf8')
          .slice(0, 64);
        const preload = path.join(REPO_ROOT, 'test', 'support', 'report-max-rss.mjs');
        const result = await runBash(`exec $CUSTOS --store "$STORE" --json import "$FILE" --case BE-1`, {
          STORE: temp.dir,
          FILE: file,
          NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${preload}`.trim(),
        });
        expect(result.status, result.stderr).toBe(0);
        const artifact = (JSON.parse(result.stdout) as ItemsJson).items[0]?.artifacts[0];
        expect(artifact).toMatchObject({ size: 2 * 1024 ** 3, sha256: expected });
        const maxRssKib = Number(/custos-test-max-rss-kib (\d+)/.exec(result.stderr)?.[1]);
        expect(maxRssKib).toBeGreaterThan(0);
        expect(maxRssKib * 1024).toBeLessThan(300 * 1024 * 1024);
        fs.chmodSync(blobFile(temp.dir, expected), 0o644);
        fs.rmSync(blobFile(temp.dir, expected));
      },
      CLI_TEST_TIMEOUT_MS,
    );
  },
  CLI_TEST_TIMEOUT_MS,
);
