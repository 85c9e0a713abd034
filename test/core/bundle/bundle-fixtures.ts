/** Fixtures for bundle tests: a store with items, and tools to take a bundle apart and rebuild it. */
import { generateKeyPairSync, sign } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import * as yauzl from 'yauzl';
import * as yazl from 'yazl';
import { formatChecksums } from '../../../electron/core/bundle/checksums.js';
import {
  type ExportOptions,
  type ExportResult,
  exportBundle,
} from '../../../electron/core/bundle/export-bundle.js';
import { filesOutsideChecksums } from '../../../electron/core/bundle/format.js';
import type { PdfPrinter } from '../../../electron/core/bundle/pdf-printer.js';
import { importFile } from '../../../electron/core/import/import-file.js';
import { sha256Hex } from '../../../electron/core/store/canonical-json.js';
import { keyFingerprint } from '../../../electron/core/store/signing-key.js';
import { stampNewItems } from '../../../electron/core/timestamp/stamp-queue.js';
import { type LocalTsa, trustAndAskLocalTsa } from '../../support/local-tsa.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';

/** A store with case BE-1 (a PNG screenshot-like image, a text file with a note) and case OTHER-2 (one file). */
export interface CaseFixture {
  readonly temp: TempStore;
  readonly pngItemId: string;
  readonly textItemId: string;
  readonly otherItemId: string;
  readonly png: Buffer;
  readonly text: Buffer;
  /** Exports BE-1 (or what the options say) with the real Chromium printer. */
  exportTo(name: string, options?: Partial<ExportOptions>): Promise<ExportResult>;
}

/** A PNG with real pixels (a gradient), so thumbnails and PDF printing have work to do. */
export async function makePng(width = 640, height = 1600): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      raw[i] = x % 256;
      raw[i + 1] = y % 256;
      raw[i + 2] = (x ^ y) % 256;
    }
  }
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

/** Makes the case fixture in a fresh temp store. */
export async function makeCaseFixture(): Promise<CaseFixture> {
  const temp = makeTempStore({ caseNumber: 'BE-1' });
  const png = await makePng();
  const text = Buffer.from(
    'WhatsApp chat export\nboat leaves Tuesday 03:00 from the north beach\n'.repeat(200),
  );
  const store = temp.open();
  let ids: { png: string; text: string; other: string };
  try {
    store.createCase({ number: 'OTHER-2', title: 'Another case' });
    const pngItem = await importFile(store, 'BE-1', temp.writeFile('post.png', png));
    const textItem = await importFile(store, 'BE-1', temp.writeFile('chat.txt', text));
    store.addNote(textItem.id, 'received from the victim by e-mail');
    const other = await importFile(store, 'OTHER-2', temp.writeFile('other.txt', 'private to another case'));
    ids = { png: pngItem.id, text: textItem.id, other: other.id };
  } finally {
    store.close();
  }
  return {
    temp,
    pngItemId: ids.png,
    textItemId: ids.text,
    otherItemId: ids.other,
    png,
    text,
    async exportTo(name, options = {}) {
      const writer = temp.open();
      try {
        return await exportBundle(writer, { caseRef: 'BE-1', out: path.join(temp.base, name), ...options });
      } finally {
        writer.close();
      }
    },
  };
}

/** A printer that writes an empty PDF, for tests that read report.html only (no Chromium). */
export const NO_PRINT: PdfPrinter = {
  print: async (_html, pdf) => fs.writeFileSync(pdf, '%PDF-1.4\n%%EOF\n'),
};

/** Every file of a ZIP, in archive order, read whole (bundles in tests are small). */
export async function readZip(file: string): Promise<Map<string, Buffer>> {
  const zip = await yauzl.openPromise(file);
  const files = new Map<string, Buffer>();
  for await (const entry of zip.eachEntry()) {
    const chunks: Buffer[] = [];
    for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
    files.set(entry.fileName, Buffer.concat(chunks));
  }
  zip.close();
  return files;
}

/** Writes files as a ZIP with yazl, in the order given. */
export async function writeZip(
  file: string,
  files: ReadonlyMap<string, Buffer> | [string, Buffer][],
): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const [name, data] of files) zip.addBuffer(data, name, { mtime: new Date('2026-01-01T00:00:00Z') });
  zip.end();
  await new Promise<void>((resolve, reject) => {
    const out = fs.createWriteStream(file);
    out.on('close', resolve);
    out.on('error', reject);
    zip.outputStream.pipe(out);
  });
}

/** SHA256SUMS remade for the files as they are now, by the rules of the bundle's format (what a careful forger does). */
export function remadeChecksums(files: ReadonlyMap<string, Buffer>): Buffer {
  const version = JSON.parse(files.get('manifest.json')?.toString('utf8') ?? '{}').formatVersion ?? 1;
  const outside = filesOutsideChecksums(version);
  const lines = [...files]
    .filter(([name]) => !outside.has(name))
    .map(([name, data]) => ({ path: name, sha256: sha256Hex(data) }));
  return Buffer.from(formatChecksums(lines));
}

/** Rebuilds a bundle with `edit` applied to its files (a Map in archive order). */
export async function tamper(
  source: string,
  target: string,
  edit: (files: Map<string, Buffer>) => void,
): Promise<string> {
  const files = await readZip(source);
  edit(files);
  await writeZip(target, files);
  return target;
}

/** A fresh Ed25519 key: its PEMs and fingerprint, and a signer. */
export function otherKey() {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return {
    publicKeyPem,
    fingerprint: keyFingerprint(publicKeyPem),
    sign: (data: Buffer) => sign(null, data, privateKey),
  };
}

/** The manifest as a forger sees it: untyped JSON. */
// biome-ignore lint/suspicious/noExplicitAny: a forger edits the manifest as untyped JSON
type AnyJson = Record<string, any>;
/** Edits the manifest JSON and leaves everything else (including the now-stale signature) as it is. */
export function editManifest(files: Map<string, Buffer>, edit: (manifest: AnyJson) => void): void {
  const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8'));
  edit(manifest);
  files.set('manifest.json', Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
}

/**
 * The fixture's case BE-1 with both its items stamped by the local test authority, exported. The
 * investigator trusts the authority in their own store: the bundle carries that custody entry,
 * which must not make a recipient trust it.
 */
export async function stampedCaseBundle(
  tsa: LocalTsa,
  name = 'stamped.zip',
): Promise<{
  fixture: CaseFixture;
  bundle: ExportResult;
}> {
  const fixture = await makeCaseFixture();
  const store = fixture.temp.open();
  try {
    trustAndAskLocalTsa(store, tsa);
    const stamped = await stampNewItems(store, [fixture.pngItemId, fixture.textItemId]);
    const refused = stamped.filter((s) => s.status !== 'granted');
    if (refused.length > 0) throw new Error(`the local authority did not stamp: ${JSON.stringify(refused)}`);
  } finally {
    store.close();
  }
  return { fixture, bundle: await fixture.exportTo(name) };
}

/**
 * The whole bundle re-signed with `key` after `edit` rewrote the manifest's text, as a forger
 * holding another key does: the original key stays listed so the custody entries still verify.
 * Text, not JSON, so the edit can write what JSON.stringify never does (1e400, a `__proto__` key).
 */
export function resignManifestText(
  files: Map<string, Buffer>,
  key: ReturnType<typeof otherKey>,
  edit: (manifestText: string) => string,
): void {
  const originalPem = files.get('signer.pem')!.toString('utf8');
  editManifest(files, (m) => {
    m.keys.push({ keyFingerprint: m.exporter.keyFingerprint, publicKeyPem: originalPem });
    m.exporter.keyFingerprint = key.fingerprint;
  });
  files.set('manifest.json', Buffer.from(edit(files.get('manifest.json')!.toString('utf8'))));
  files.set('signer.pem', Buffer.from(key.publicKeyPem));
  files.set('manifest.sig', key.sign(files.get('manifest.json')!));
  files.set('SHA256SUMS', remadeChecksums(files));
  files.set('SHA256SUMS.sig', key.sign(files.get('SHA256SUMS')!));
}

/** Manifest text edits no exporter writes, each making a capture record unencodable as canonical JSON. */
export const UNENCODABLE_RECORD_EDITS: readonly {
  readonly name: string;
  readonly edit: (manifestText: string) => string;
  readonly reason: RegExp;
}[] = [
  {
    name: 'a number too large for a double (1e400 parses as Infinity)',
    edit: (text) => text.replace(/("record": \{[\s\S]*?"size": )\d+/, '$11e400'),
    reason: /Infinity is not allowed/,
  },
  {
    name: 'a lone surrogate in its metadata',
    edit: (text) => text.replace('"metadata": {', '"metadata": {"x": "\\ud800",'),
    reason: /Lone surrogate is not allowed/,
  },
  {
    name: 'metadata nested 5,000 deep',
    edit: (text) =>
      text.replace('"metadata": {', `"metadata": {"x": ${'['.repeat(5000)}${']'.repeat(5000)},`),
    reason: /Maximum call stack size exceeded/,
  },
];
