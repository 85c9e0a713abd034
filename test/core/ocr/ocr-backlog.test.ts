import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countNeeding, itemsNeeding } from '../../../electron/core/derive/derived-state-queries.js';
import { importFile } from '../../../electron/core/import/import-file.js';
import { hasPictures, ITEM_HAS_PICTURES_SQL } from '../../../electron/core/media/image-hash-deriver.js';
import { ocrDeriver } from '../../../electron/core/ocr/ocr-deriver.js';
import type { ArtifactRecord, ArtifactRole } from '../../../shared/domain.js';
import { makePhoto } from '../../support/photos.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';

describe('the text-recognition backlog holds only items with pictures', () => {
  let temp: TempStore;
  beforeEach(() => {
    temp = makeTempStore({ caseNumber: 'OCR-BACKLOG' });
  });
  afterEach(() => temp.remove());

  it('after importing text files and one photo, only the photo waits to be read and takes a place in a pass', async () => {
    const store = temp.open();
    try {
      const caseId = temp.caseId ?? '';
      for (let i = 0; i < 12; i++) {
        await importFile(store, caseId, temp.writeFile(`chat-${i}.txt`, `chat export ${i}\n`));
      }
      const photo = await importFile(store, caseId, temp.writeFile('boat.jpg', await makePhoto(7)));
      await importFile(store, caseId, temp.writeFile('receipt.pdf', '%PDF-1.4\n%%EOF\n'));
      // Before the change, all 14 items counted as "not indexed yet" for text recognition, and a
      // pass of 8 went to the chat exports while the photo waited for the second pass.
      expect(countNeeding(store.db, ocrDeriver)).toBe(1);
      expect(itemsNeeding(store.db, ocrDeriver, 8)).toEqual([photo.id]);
    } finally {
      store.close();
    }
  });

  it('the SQL rule picks exactly the items the deriver finds pictures in, whatever the roles and media types', () => {
    // The rule is written twice (JavaScript over a record, SQL over the artifacts table): every
    // combination of role and media type must give the same answer, or a picture would never be read.
    const roles = ['original', 'screenshot', 'viewport', 'warc', 'text', 'html', 'mhtml', 'metadata'];
    const mediaTypes = [
      'image/png',
      'image/jpeg',
      'image/heic',
      'image/svg+xml',
      'image/x-icon',
      'IMAGE/PNG',
      'text/plain',
      'application/pdf',
      'application/warc',
      'multipart/related',
    ];
    const db = new Database(':memory:');
    try {
      db.exec(
        'CREATE TABLE items (id TEXT PRIMARY KEY); CREATE TABLE artifacts (item_id TEXT, role TEXT, media_type TEXT)',
      );
      const expected: string[] = [];
      let n = 0;
      for (const role of roles) {
        for (const mediaType of mediaTypes) {
          // An item with this artifact alone, and one with it beside a plain text file.
          for (const withText of [false, true]) {
            const id = `item-${n++}`;
            const artifacts: ArtifactRecord[] = [artifact(role, mediaType, id)];
            if (withText) artifacts.push(artifact('text', 'text/plain', `${id}-text`));
            db.prepare('INSERT INTO items VALUES (?)').run(id);
            for (const a of artifacts) {
              db.prepare('INSERT INTO artifacts VALUES (?, ?, ?)').run(id, a.role, a.mediaType);
            }
            if (hasPictures(artifacts)) expected.push(id);
          }
        }
      }
      const picked = (
        db.prepare(`SELECT i.id FROM items i WHERE ${ITEM_HAS_PICTURES_SQL} ORDER BY i.rowid`).all() as {
          id: string;
        }[]
      ).map((row) => row.id);
      expect(picked).toEqual(expected);
      expect(expected.length).toBeGreaterThan(10); // the grid holds pictures of every kind
    } finally {
      db.close();
    }
  });
});

function artifact(role: string, mediaType: string, seed: string): ArtifactRecord {
  return {
    role: role as ArtifactRole,
    name: `${seed}.bin`,
    mediaType,
    size: 1,
    sha256: seed.padEnd(64, '0'),
  };
}
