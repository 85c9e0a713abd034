import crypto from 'node:crypto';
import fs from 'node:fs';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAudit } from '../../../electron/core/audit/run-audit.js';
import { importFile, SMALL_FILE_BYTES } from '../../../electron/core/import/import-file.js';
import { importFiles } from '../../../electron/core/import/import-files.js';
import { MAX_RAW_TAG_BYTES, type MediaMetadata } from '../../../electron/core/import/media-metadata.js';
import type { EvidenceStore } from '../../../electron/core/store/evidence-store.js';
import { makePhoto, PHONE_EXIF } from '../../support/photos.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';

const sha256 = (bytes: Buffer) => crypto.createHash('sha256').update(bytes).digest('hex');

/** A JPEG whose XMP packet (within one 64 KiB segment) holds far more than a record should: 1,800 properties, some long. */
async function photoWithHugeXmp(): Promise<Buffer> {
  const props = Array.from(
    { length: 1800 },
    (_, k) => `junk:p${k}="${'v'.repeat(k % 200 === 0 ? 1500 : 8)}"`,
  );
  const xmp = `<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:junk="http://example.org/junk/" xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/" xmlns:stEvt="http://ns.adobe.com/xap/1.0/sType/ResourceEvent#" xmp:CreatorTool="Adobe Photoshop 25.0 (Windows)" ${props.join(' ')}><xmpMM:History><rdf:Seq><rdf:li stEvt:action="created" stEvt:when="2024-05-01T14:40:00+03:00" stEvt:softwareAgent="Adobe Photoshop 25.0"/><rdf:li stEvt:action="saved" stEvt:when="2024-05-02T09:00:00+02:00"/></rdf:Seq></xmpMM:History></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`;
  return sharp(await makePhoto(3))
    .withXmp(xmp)
    .jpeg()
    .toBuffer();
}

describe('photo metadata (EXIF, GPS, XMP) is read at import into the signed record', () => {
  let temp: TempStore;
  let store: EvidenceStore;
  beforeEach(() => {
    temp = makeTempStore({ caseNumber: 'BE-1' });
    store = temp.open();
  });
  afterEach(() => {
    store.close();
    temp.remove();
  });

  const importBytes = async (name: string, bytes: Buffer) => {
    const file = temp.writeFile(name, bytes);
    const summary = await importFile(store, 'BE-1', file);
    const detail = store.getItem(summary.id);
    return { detail, metadata: detail.record.metadata as Record<string, unknown> };
  };

  it('keeps a phone photo byte for byte and records its camera, original time with offset and GPS position', async () => {
    const photo = await makePhoto(1, { exif: PHONE_EXIF });
    const { detail, metadata } = await importBytes('IMG_0412.JPG', photo);

    const original = detail.artifacts[0]!;
    expect(original.sha256).toBe(sha256(photo));
    expect(fs.readFileSync(temp.blobPath(original.sha256)).equals(photo)).toBe(true);

    const media = metadata.media as MediaMetadata;
    expect(media.camera).toMatchObject({ make: 'Apple', model: 'iPhone 12', lens: 'iPhone 12 back camera' });
    expect(media.software).toBe('17.1.2');
    // As the camera wrote it: not converted to UTC or to the workstation's zone.
    expect(media.dateTimeOriginal).toBe('2024:05:01 14:32:10');
    expect(media.offsetTimeOriginal).toBe('+03:00');
    expect(media.gps?.latitude).toBeCloseTo(32 + 53 / 60 + 30 / 3600, 6);
    expect(media.gps?.longitude).toBeCloseTo(13 + 10 / 60 + 45 / 3600, 6);
    expect(media.gps?.altitude).toBe(12);
    expect(media.gps?.time).toBe('2024:05:01 11:32:10 UTC');
    expect(media.width).toBe(640);
    expect(media.height).toBe(480);
    expect(media.tags.ifd0?.Make).toBe('Apple');
    expect(metadata.mediaNote).toBeUndefined();

    const audit = await runAudit(store);
    expect(audit.problems).toEqual([]);
  });

  it('reads a WebP photo’s camera, time and GPS position from its EXIF chunk and its editor from its XMP, keeping the file byte for byte', async () => {
    const xmp =
      '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreatorTool="Snapseed 2.0"/></rdf:RDF></x:xmpmeta><?xpacket end="w"?>';
    const webp = await sharp(await makePhoto(3, { exif: PHONE_EXIF }))
      .keepExif()
      .withXmp(xmp)
      .webp()
      .toBuffer();
    const { detail, metadata } = await importBytes('received-on-whatsapp.webp', webp);
    expect(detail.artifacts[0]?.mediaType).toBe('image/webp');
    expect(fs.readFileSync(temp.blobPath(detail.artifacts[0]!.sha256)).equals(webp)).toBe(true);
    const media = metadata.media as MediaMetadata;
    expect(media.camera).toMatchObject({ make: 'Apple', model: 'iPhone 12' });
    expect(media.dateTimeOriginal).toBe('2024:05:01 14:32:10');
    expect(media.offsetTimeOriginal).toBe('+03:00');
    expect(media.gps?.latitude).toBeCloseTo(32 + 53 / 60 + 30 / 3600, 6);
    expect(media.xmp?.creatorTool).toBe('Snapseed 2.0');
    expect(metadata.mediaNote).toBeUndefined();
  });

  it('reads the camera and GPS position of small JPEG and WebP photos imported as the CLI imports them (read whole, their blob written from memory)', async () => {
    const thumbnail = (format: 'jpeg' | 'webp') =>
      makePhoto(4, { exif: PHONE_EXIF }).then((photo) =>
        sharp(photo).resize(64, 48).keepExif()[format]().toBuffer(),
      );
    const photos = [await thumbnail('jpeg'), await thumbnail('webp')];
    for (const photo of photos) expect(photo.byteLength).toBeLessThanOrEqual(SMALL_FILE_BYTES);
    const files = photos.map((photo, i) => temp.writeFile(`thumbs/IMG_${i}.${i ? 'webp' : 'jpg'}`, photo));

    const outcome = await importFiles(store, 'BE-1', files, { blockingReads: true });

    expect(outcome.failures).toEqual([]);
    for (const [i, item] of outcome.items.entries()) {
      const detail = store.getItem(item.id);
      expect(fs.readFileSync(temp.blobPath(detail.artifacts[0]!.sha256)).equals(photos[i]!)).toBe(true);
      const media = (detail.record.metadata as Record<string, unknown>).media as MediaMetadata;
      expect(media.camera).toMatchObject({ make: 'Apple', model: 'iPhone 12' });
      expect(media.gps?.latitude).toBeCloseTo(32 + 53 / 60 + 30 / 3600, 6);
    }
  });

  it('still imports a photo whose EXIF is damaged, unchanged, with a note saying its metadata could not be read', async () => {
    const good = await makePhoto(2, { exif: PHONE_EXIF });
    const damaged = Buffer.from(good);
    const tiff = damaged.indexOf(Buffer.from('Exif\0\0', 'latin1')) + 6;
    damaged.write('ZZ', tiff, 'latin1'); // neither II nor MM: no TIFF header
    damaged.writeUInt32BE(0xfffffff0, tiff + 4);

    const { detail, metadata } = await importBytes('broken.jpg', damaged);
    expect(detail.artifacts[0]!.sha256).toBe(sha256(damaged));
    expect(metadata.mediaNote).toMatch(
      /could not be read \(IFD0 offset points to outside of file.*\); the file was imported unchanged/,
    );
    expect((metadata.media as MediaMetadata | undefined)?.camera).toBeUndefined();
  });

  it('caps an oversized XMP packet in the record and says so, keeping the creator tool and history', async () => {
    const photo = await photoWithHugeXmp();
    const { detail, metadata } = await importBytes('edited.jpg', photo);
    expect(detail.artifacts[0]!.sha256).toBe(sha256(photo));

    const media = metadata.media as MediaMetadata;
    expect(JSON.stringify(media.tags).length).toBeLessThanOrEqual(MAX_RAW_TAG_BYTES);
    expect(JSON.stringify(metadata).length).toBeLessThan(MAX_RAW_TAG_BYTES + 8 * 1024);
    expect(media.rawTruncated).toMatch(
      /tags were left out.*long values were cut.*original file.*holds them all/,
    );
    expect(media.xmp?.creatorTool).toBe('Adobe Photoshop 25.0 (Windows)');
    expect(media.xmp?.history).toEqual([
      { action: 'created', when: '2024-05-01T14:40:00+03:00', softwareAgent: 'Adobe Photoshop 25.0' },
      { action: 'saved', when: '2024-05-02T09:00:00+02:00' },
    ]);
  });

  it('records no media metadata for a file that is not a photo', async () => {
    const { metadata } = await importBytes('notes.txt', Buffer.from('call +39 333 1234567'));
    expect(metadata.media).toBeUndefined();
    expect(metadata.mediaNote).toBeUndefined();
  });
});
