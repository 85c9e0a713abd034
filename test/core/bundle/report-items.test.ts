/**
 * report.html's items as the export reads them (a chunk of items at a time, one query for their
 * custody entries and one for their entities) against the same items read one by one, as the
 * export read them before (each item's ledger by subject, its entities with `entitiesOfItem`), and
 * written by the same writer: byte for byte the same, across a chunk boundary, with entities,
 * notes, tags, an untag, capture records in several time zones, right-to-left text, control and
 * bidi characters and Windows line endings.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportBundle } from '../../../electron/core/bundle/export-bundle.js';
import type { BundleManifest } from '../../../electron/core/bundle/format.js';
import { type ReportItem, writeReport } from '../../../electron/core/bundle/report.js';
import { deriveMissing } from '../../../electron/core/derive/derive-items.js';
import { entityDeriver } from '../../../electron/core/entities/entity-deriver.js';
import { entitiesOfItem } from '../../../electron/core/entities/entity-queries.js';
import type { EvidenceStore } from '../../../electron/core/store/evidence-store.js';
import { iterateLedger } from '../../../electron/core/store/ledger.js';
import { listInvestigators } from '../../../electron/core/store/queries.js';
import type { ArtifactRecord, ArtifactRole } from '../../../shared/domain.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';
import { NO_PRINT, readZip } from './bundle-fixtures.js';

/** More items than the export reads at a time (256), so that a chunk boundary falls inside. */
const ITEMS = 270;
const ZONES = ['Asia/Jerusalem', 'Europe/Rome', 'America/New_York', 'Not/AZone'];

async function put(
  store: EvidenceStore,
  role: ArtifactRole,
  name: string,
  mediaType: string,
  content: string,
): Promise<ArtifactRecord> {
  const blob = await store.blobs.putBuffer(Buffer.from(content, 'utf8'));
  return { role, name, mediaType, size: blob.size, sha256: blob.sha256 };
}

/** A case of ITEMS items: every fourth a web capture, the rest imported text; notes and tags on some. */
async function fillCase(store: EvidenceStore, caseId: string): Promise<void> {
  for (let i = 0; i < ITEMS; i++) {
    const text =
      i % 3 === 0
        ? `מספר ${i}: התקשרו ‎+972 50-123-4567\r\nأو راسلوا ahmad${i}@example.com\r\n`
        : `item ${i} call +34 600 000 ${String(i).padStart(3, '0')} or write to box${i % 7}@example.org\n\u202eexe.txt\x1b[31m <b>&amp;</b>\n`;
    const item =
      i % 4 === 0
        ? store.addItem({
            caseId,
            kind: 'capture',
            source: `https://example.com/صفحة/${i}`,
            url: `https://example.com/صفحة/${i}`,
            title: `عرض ${i} <script>`,
            metadata: {},
            artifacts: [
              await put(store, 'text', 'page.txt', 'text/plain', text),
              await put(
                store,
                'metadata',
                'metadata.json',
                'application/json',
                JSON.stringify({
                  recordType: 'custos.web-capture',
                  requestedUrl: `https://example.com/صفحة/${i}`,
                  finalUrl: `https://example.com/صفحة/${i}`,
                  httpStatus: i % 8 === 0 ? 404 : 200,
                  page: { title: `عرض ${i}`, language: 'he' },
                  capture: {
                    startedAt: '2026-03-29T00:59:59.999Z',
                    endedAt: '2026-03-29T01:00:01.250Z',
                    timeZone: ZONES[(i / 4) % ZONES.length],
                  },
                  blocked: [{ kind: 'popup', detail: `نافذة ${i}`, url: 'https://ads.example/' }],
                }),
              ),
            ],
          })
        : store.addItem({
            caseId,
            kind: 'import',
            source: `file-${i}.txt`,
            metadata: { originalName: `ملف-${i}.txt`, note: i % 5 === 0 ? 'a\u202eb' : `n${i}` },
            artifacts: [await put(store, 'original', 'original.txt', 'text/plain', text)],
          });
    if (i % 5 === 0) store.addNote(item.id, `ملاحظة ${i}: received\r\nby mail <ok>`);
    if (i % 6 === 0) store.addTag(item.id, `وسم-${i % 12}`);
    if (i % 12 === 0) store.removeTag(item.id, `وسم-${i % 12}`);
  }
  await deriveMissing(store, { derivers: [entityDeriver] });
}

/** The items' part of report.html: from the first item's section to the case's custody. */
function itemsPart(html: string): string {
  const start = html.indexOf('\n<section class="item">');
  const end = html.indexOf('<h2 class="item">Custody of the case</h2>');
  expect(start).toBeGreaterThan(0);
  expect(end).toBeGreaterThan(start);
  return html.slice(start, end);
}

describe("report.html's items, read a chunk at a time", () => {
  let temp: TempStore;
  let exported: string;
  let readOneByOne: string;

  beforeAll(async () => {
    temp = makeTempStore({ caseNumber: 'RPT-1' });
    const store = temp.open();
    try {
      await fillCase(store, temp.caseId ?? '');
      const out = path.join(temp.base, 'rpt.zip');
      await exportBundle(store, { caseRef: 'RPT-1', out, printer: NO_PRINT });
      const files = await readZip(out);
      exported = files.get('report.html')?.toString('utf8') ?? '';
      const manifest = JSON.parse(files.get('manifest.json')?.toString('utf8') ?? '{}') as BundleManifest;
      // The same items read one by one, as the export read them before, written by the same writer.
      const caseId = temp.caseId ?? '';
      const items: ReportItem[] = manifest.items.map((item) => ({
        item,
        files: item.artifacts.map((a) => store.blobs.pathOf(a.sha256)),
        custody: [...iterateLedger(store.db, { subject: item.id })].filter((e) => e.caseId === caseId),
        trustedTime: null,
        trust: null,
        entities: entitiesOfItem(store.db, item.id, caseId).map((e) => ({
          type: e.type,
          value: e.value,
          occurrences: e.items.reduce((sum, i) => sum + i.occurrences.length, 0),
        })),
      }));
      const file = path.join(temp.base, 'one-by-one.html');
      await writeReport(
        file,
        {
          manifest,
          bundleName: 'rpt.zip',
          caseEntries: [],
          actorNames: new Map(listInvestigators(store.db).map((i) => [i.keyFingerprint, i.name])),
        },
        items,
      );
      readOneByOne = fs.readFileSync(file, 'utf8');
    } finally {
      store.close();
    }
  }, 120_000);
  afterAll(() => temp?.remove());

  it('are byte for byte those of the items read one by one', () => {
    expect(itemsPart(exported).length).toBeGreaterThan(100_000);
    expect(itemsPart(exported) === itemsPart(readOneByOne)).toBe(true);
  });

  it('show every item with its entities, notes, tags and custody', () => {
    const part = itemsPart(exported);
    expect(part.split('<section class="item">')).toHaveLength(ITEMS + 1);
    expect(part.split('<h4>Entities found</h4>')).toHaveLength(ITEMS + 1);
    expect(part).toContain(`<h3>Item ${ITEMS}: `);
    expect(part).toContain('ملاحظة 265: received\nby mail &#60;ok&#62;');
    expect(part).toContain('Tag removed');
    expect(part).toContain('UTC+03:00 (Asia/Jerusalem)');
    expect(part).toContain('\\u202eexe.txt\\x1b[31m &#60;b&#62;&#38;amp;&#60;/b&#62;');
  });
});
