import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAudit } from '../../../electron/core/audit/run-audit.js';
import { deriveMissing, rebuildDerived } from '../../../electron/core/derive/derive-items.js';
import { DERIVERS } from '../../../electron/core/derive/derivers.js';
import { entityDeriver } from '../../../electron/core/entities/entity-deriver.js';
import {
  entitiesOfCase,
  entitiesOfItem,
  itemsMentioning,
} from '../../../electron/core/entities/entity-queries.js';
import type { EvidenceStore } from '../../../electron/core/store/evidence-store.js';
import type { ArtifactRecord, ArtifactRole } from '../../../shared/domain.js';
import { makeTempStore, type TempStore } from '../../support/temp-store.js';

const PAGE_TEXT = 'Viaggio sicuro per Lampedusa. Prezzo 4.000 euro. Chiamare 347 123 4567.';
const PAGE_HTML = `<html lang="it"><body><p>${PAGE_TEXT}</p>
<a href="https://wa.me/393205551234?text=ciao&amp;src=fb">WhatsApp</a>
<a href='tel:0331 234 5678'>Chiama</a> <a href=mailto:viaggi@example.it>Mail</a>
<a href="https://example.it/ordine/3471234567">ordine</a></body></html>`;

/** Commits a web capture with text, HTML and a capture record that gives the page's language. */
async function addCapture(
  store: EvidenceStore,
  caseId: string,
  options: { lang: string | null; text: string },
) {
  const put = async (
    role: ArtifactRole,
    name: string,
    mediaType: string,
    content: string,
  ): Promise<ArtifactRecord> => {
    const blob = await store.blobs.putBuffer(Buffer.from(content, 'utf8'));
    return { role, name, mediaType, size: blob.size, sha256: blob.sha256 };
  };
  const record = JSON.stringify({
    recordType: 'custos.web-capture',
    page: { title: 'Offerta', language: options.lang },
  });
  return store.addItem({
    caseId,
    kind: 'capture',
    source: 'https://www.example.com/annuncio/77',
    url: 'https://www.example.com/annuncio/77',
    title: 'Offerta: telegram t.me/viaggi_sicuri',
    metadata: {},
    artifacts: [
      await put('text', 'page.txt', 'text/plain', options.text),
      await put('html', 'page.html', 'text/html', PAGE_HTML),
      await put('metadata', 'metadata.json', 'application/json', record),
    ],
  });
}

describe('the entity deriver reads an item from its originals', () => {
  let temp: TempStore;
  let store: EvidenceStore;
  beforeEach(() => {
    temp = makeTempStore({ caseNumber: 'IT-1' });
    store = temp.open();
  });
  afterEach(() => {
    store.close();
    temp.remove();
  });

  it('is one of the derivers every write feeds', () => {
    expect(DERIVERS).toContain(entityDeriver);
  });

  it('finds entities in the page text (read with the page language as the region), the HTML links and the title', async () => {
    const caseId = temp.caseId ?? '';
    const item = await addCapture(store, caseId, { lang: 'it', text: PAGE_TEXT });
    await deriveMissing(store, { derivers: [entityDeriver] });
    const found = entitiesOfItem(store.db, item.id, caseId).map((e) => ({
      type: e.type,
      value: e.value,
      where: e.items[0]?.occurrences.map((o) => o.source),
    }));
    expect(found).toEqual(
      expect.arrayContaining([
        { type: 'phone', value: '+393471234567', where: ['text'] },
        { type: 'phone', value: '+3903312345678', where: ['html'] }, // Italian landlines keep their 0
        { type: 'whatsapp', value: '+393205551234', where: ['html'] },
        { type: 'telegram', value: '@viaggi_sicuri', where: ['title'] },
        { type: 'email', value: 'viaggi@example.it', where: ['html'] },
        { type: 'price', value: '4000 EUR', where: ['text'] },
      ]),
    );
    expect(found).toHaveLength(6); // the order number in the last link is not a phone
    const html = entitiesOfItem(store.db, item.id, caseId).find((e) => e.type === 'whatsapp');
    const occurrence = html?.items[0]?.occurrences[0];
    expect(PAGE_HTML.slice(occurrence?.offset, (occurrence?.offset ?? 0) + 12)).toBe('https://wa.m');
  });

  it('without a language hint, national numbers are not guessed', async () => {
    const caseId = temp.caseId ?? '';
    const item = await addCapture(store, caseId, { lang: null, text: 'Chiamare 347 123 4567.' });
    await deriveMissing(store, { derivers: [entityDeriver] });
    expect(entitiesOfItem(store.db, item.id, caseId).filter((e) => e.type === 'phone')).toEqual([]);
  });

  it('an entity in two cases is flagged in both, and "items mentioning it" lists both items', async () => {
    const first = temp.caseId ?? '';
    const second = store.createCase({ number: 'IT-2', title: 'Another network' }).id;
    const a = await addCapture(store, first, { lang: 'it', text: PAGE_TEXT });
    const b = await addCapture(store, second, { lang: 'it', text: 'Nuovo numero: +39 347 123 4567' });
    await deriveMissing(store, { derivers: [entityDeriver] });
    const phone = entitiesOfCase(store.db, first, 'phone').find((e) => e.value === '+393471234567');
    expect(phone).toMatchObject({ crossCase: true, otherCases: [{ id: second, number: 'IT-2' }] });
    expect(entitiesOfCase(store.db, second).find((e) => e.value === '+393471234567')?.otherCases).toEqual([
      { id: first, number: 'IT-1' },
    ]);
    const price = entitiesOfCase(store.db, second).find((e) => e.type === 'price');
    expect(price).toBeUndefined();
    expect(entitiesOfCase(store.db, first).find((e) => e.type === 'price')?.crossCase).toBe(false);
    expect(itemsMentioning(store.db, '+393471234567').map((m) => [m.caseNumber, m.itemId])).toEqual([
      ['IT-1', a.id],
      ['IT-2', b.id],
    ]);
  });

  it('a rebuild gives the same entities, and deriving never touches evidence', async () => {
    const caseId = temp.caseId ?? '';
    await addCapture(store, caseId, { lang: 'it', text: PAGE_TEXT });
    await deriveMissing(store, { derivers: [entityDeriver] });
    const before = entitiesOfCase(store.db, caseId);
    const ledger = store.ledger().length;
    store.transaction((db) => db.exec('DELETE FROM entity_occurrences'));
    await rebuildDerived(store, { derivers: [entityDeriver] });
    expect(entitiesOfCase(store.db, caseId)).toEqual(before);
    expect(store.ledger()).toHaveLength(ledger);
    expect((await runAudit(store)).problems).toEqual([]);
    const orphans = store.db
      .prepare(
        'SELECT count(*) AS n FROM entities WHERE id NOT IN (SELECT entity_id FROM entity_occurrences)',
      )
      .get() as { n: number };
    expect(orphans.n).toBe(0);
  });
});
