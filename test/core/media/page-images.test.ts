import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WARCRecord, WARCSerializer } from 'warcio';
import { hashPageImages } from '../../../electron/core/media/image-hash-deriver.js';
import { readWarcImage } from '../../../electron/core/media/page-images.js';
import { FIXTURE_SITE } from '../../support/fixture-server.js';
import { makeTempDir, removeTempDir } from '../../support/temp-store.js';

const image = (name: string) => fs.readFileSync(path.join(FIXTURE_SITE, 'img', name));
const sha256 = (bytes: Buffer) => crypto.createHash('sha256').update(bytes).digest('hex');
const url = (name: string) => `https://sea-market.test/img/${name}`;

/** One response record, gzip-compressed on its own, as a capture's WARC holds it. */
async function response(target: string, type: string, body: Buffer): Promise<Buffer> {
  const record = WARCRecord.create(
    {
      url: target,
      type: 'response',
      warcVersion: 'WARC/1.1',
      statusline: 'HTTP/1.1 200 OK',
      httpHeaders: { 'Content-Type': type, 'Content-Length': String(body.byteLength) },
    },
    [body],
  );
  return Buffer.from(
    await WARCSerializer.serialize(record, {
      gzip: true,
      digest: { algo: 'sha-256', prefix: 'sha256:', base32: false },
    }),
  );
}

let dir: string;
let warc: string;
/** Byte offsets of the records, by name. */
const offsets: Record<string, number> = {};

beforeAll(async () => {
  dir = makeTempDir();
  const records: [string, Buffer][] = [
    [
      'page',
      await response(
        'https://sea-market.test/post',
        'text/html; charset=utf-8',
        Buffer.from('<img src=boat.jpg>'),
      ),
    ],
    ['boat', await response(url('boat.jpg'), 'image/jpeg', image('boat.jpg'))],
    // A JPEG's head and then noise: the record is whole, the picture cannot be decoded.
    [
      'garbage',
      await response(
        url('broken.jpg'),
        'image/jpeg',
        Buffer.concat([image('boat.jpg').subarray(0, 300), crypto.randomBytes(4000)]),
      ),
    ],
    ['harbour', await response(url('harbour.jpg'), 'image/jpeg', image('harbour.jpg'))],
    ['icon', await response(url('avatar-48.png'), 'image/png', image('avatar-48.png'))],
    ['repost', await response(url('boat-repost.webp'), 'image/webp', image('boat-repost.webp'))],
    ['again', await response(url('boat.jpg?size=l'), 'image/jpeg', image('boat.jpg'))],
  ];
  let offset = 0;
  for (const [name, bytes] of records) {
    offsets[name] = offset;
    offset += bytes.byteLength;
  }
  // The harbour record's gzip member is damaged half-way (a bad sector, a bit flipped in a copy).
  const harbour = records[3]![1];
  for (let i = 0; i < 16; i++) harbour[Math.floor(harbour.byteLength / 2) + i]! ^= 0xa5;
  warc = path.join(dir, 'capture.warc.gz');
  fs.writeFileSync(warc, Buffer.concat(records.map(([, bytes]) => bytes)));
});

afterAll(() => removeTempDir(dir));

describe('page images read from a WARC', () => {
  it('hashes the photos of a WARC with a corrupt image record and a damaged record, skipping those two and reading on to the rest', async () => {
    const { rows, scan } = await hashPageImages([{ sha256: 'f'.repeat(64), file: warc }]);
    expect(rows.map((r) => r.page?.uri)).toEqual([url('boat.jpg'), url('boat-repost.webp')]);
    expect(rows.map((r) => r.sha256)).toEqual([sha256(image('boat.jpg')), sha256(image('boat-repost.webp'))]);
    expect(rows.map((r) => r.page?.recordOffset)).toEqual([offsets.boat, offsets.repost]);
    for (const row of rows) {
      expect(row.role).toBe('page-image');
      expect(row.page?.warcSha256).toBe('f'.repeat(64));
      expect(row.phash).toMatch(/^[0-9a-f]{16}$/);
    }
    // boat, broken, icon, repost and boat again (the same bytes: hashed once); the damaged one is not met as an image.
    expect(scan).toMatchObject({ found: 5, hashed: 2, small: 1, unreadable: 1, capped: false });
    expect(scan.note).toContain(
      `the WARC is damaged at byte ${offsets.harbour}: read on from the next record, at byte ${offsets.icon}`,
    );
    expect(scan.note).toContain(`1 page image could not be read: ${url('broken.jpg')}:`);
  });

  it('hashes at most the cap per item and says so', async () => {
    const { rows, scan } = await hashPageImages([{ sha256: 'f'.repeat(64), file: warc }], { maxImages: 1 });
    expect(rows.map((r) => r.page?.uri)).toEqual([url('boat.jpg')]);
    expect(scan.capped).toBe(true);
    expect(scan.note).toMatch(/^only the first 1 page images were hashed \(the cap per item\)/);
  });

  it('leaves out the pictures an item already holds as artifacts (hashed once, as the artifact)', async () => {
    const { rows } = await hashPageImages([{ sha256: 'f'.repeat(64), file: warc }], {
      skip: new Set([sha256(image('boat.jpg'))]),
    });
    expect(rows.map((r) => r.page?.uri)).toEqual([url('boat-repost.webp')]);
  });

  it('reads a page image back at its offset only when its URL and bytes are the ones stored', async () => {
    const boat = { sha256: sha256(image('boat.jpg')), uri: url('boat.jpg') };
    expect(await readWarcImage(warc, offsets.boat!, boat)).toEqual(image('boat.jpg'));
    // Another record's offset, another picture's hash, a damaged record, an offset inside a record.
    expect(await readWarcImage(warc, offsets.repost!, boat)).toBeNull();
    expect(
      await readWarcImage(warc, offsets.boat!, { ...boat, sha256: sha256(image('harbour.jpg')) }),
    ).toBeNull();
    expect(
      await readWarcImage(warc, offsets.harbour!, {
        sha256: sha256(image('harbour.jpg')),
        uri: url('harbour.jpg'),
      }),
    ).toBeNull();
    expect(await readWarcImage(warc, offsets.boat! + 7, boat)).toBeNull();
  });
});
