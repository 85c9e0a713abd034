import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ApiService, createApiService } from '../../../../electron/core/api/api-service.js';
import type { ApiResult, BatchOutcome } from '../../../../shared/api.js';
import type { CaseEntity, EntityMention } from '../../../../shared/entities.js';
import { makeTempStore, type TempStore } from '../../../support/temp-store.js';

function value<T>(result: ApiResult<unknown>): T {
  if (!result.ok) throw new Error(`expected a value, got ${result.error.kind}: ${result.error.message}`);
  return result.value as T;
}

describe('API: entities of a case, of an item, and items mentioning one', () => {
  let temp: TempStore;
  let api: ApiService;
  beforeEach(() => {
    temp = makeTempStore({ caseNumber: 'LY-1' });
    api = createApiService({ storeDir: temp.dir, exportDir: temp.base });
  });
  afterEach(() => {
    api.close();
    temp.remove();
  });

  async function importText(caseRef: string, name: string, text: string): Promise<string> {
    const outcome = value<BatchOutcome>(
      await api.call('importFiles', { caseRef, paths: [temp.writeFile(name, text)] }),
    );
    return outcome.items[0]?.id ?? '';
  }

  it('an import through the API is indexed at once; an entity another case mentions is flagged', async () => {
    value(await api.call('createCase', { number: 'IT-2', title: 'Italian side' }));
    const ad = await importText('LY-1', 'ad.txt', 'ليبيا: واتساب 0912345678، السعر ٥٠٠٠ يورو');
    const chat = await importText('IT-2', 'chat.txt', 'numero libico +218 91 234 5678');

    const entities = value<CaseEntity[]>(await api.call('listCaseEntities', { caseRef: 'LY-1' }));
    expect(entities.map((e) => [e.type, e.value, e.crossCase])).toEqual([
      ['phone', '+218912345678', true],
      // The ad gives the number as a WhatsApp contact: the account too (no other case has it as one).
      ['whatsapp', '+218912345678', false],
      ['price', '5000 EUR', false],
    ]);
    expect(entities[0]?.otherCases.map((c) => c.number)).toEqual(['IT-2']);
    const phones = value<CaseEntity[]>(
      await api.call('listCaseEntities', { caseRef: 'LY-1', type: 'phone' }),
    );
    expect(phones).toHaveLength(1);

    const mentions = value<EntityMention[]>(await api.call('findEntityMentions', { value: '+218912345678' }));
    expect(mentions.map((m) => [m.type, m.caseNumber, m.itemId, m.occurrences[0]?.original])).toEqual([
      ['phone', 'IT-2', chat, '+218 91 234 5678'],
      ['phone', 'LY-1', ad, '0912345678'],
      ['whatsapp', 'LY-1', ad, '0912345678'],
    ]);

    const ofItem = value<CaseEntity[]>(await api.call('getItemEntities', { itemId: chat }));
    expect(ofItem.map((e) => [e.value, e.otherCases.map((c) => c.number)])).toEqual([
      ['+218912345678', ['LY-1']],
    ]);
  });

  it("refuses an unknown case (pointing to the window's Cases list), an unknown type and an empty value, naming the problem", async () => {
    const unknownCase = await api.call('listCaseEntities', { caseRef: 'NOPE' });
    expect(unknownCase).toEqual({
      ok: false,
      error: { kind: 'bad-input', message: 'case NOPE not found; the Cases list shows cases' },
    });
    expect((await api.call('listCaseEntities', { caseRef: 'LY-1', type: 'fax' })).ok).toBe(false);
    const empty = await api.call('findEntityMentions', { value: '  ' });
    expect(!empty.ok && empty.error.message).toContain('enter a phone number, account, IBAN or address');
  });

  it("the Export button writes the case's entity links as a new CSV file in the export folder", async () => {
    await importText('LY-1', 'ad.txt', 'Call +218 91 234 5678');
    const first = value<{ file: string }>(
      await api.call('exportCaseEntities', { caseRef: 'LY-1', format: 'csv' }),
    );
    expect(path.dirname(first.file)).toBe(temp.base);
    const [header, row] = fs.readFileSync(first.file, 'utf8').split('\r\n');
    expect(header).toBe('type,value,raw_text,found_in,item_id,title,url,captured_at,case');
    expect(row).toMatch(/^phone,\+218912345678,\+218 91 234 5678,original,/);
    const bad = await api.call('exportCaseEntities', { caseRef: 'LY-1', format: 'xlsx' });
    expect(bad.ok).toBe(false);
  });
});
