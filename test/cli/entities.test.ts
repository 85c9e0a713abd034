import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseEntity, EntityMention } from '../../shared/entities.js';
import { runCustos, runCustosJson } from '../support/run-custos.js';
import { makeTempStore, type TempStore } from '../support/temp-store.js';
import { CLI_TEST_TIMEOUT_MS } from './cli-fixtures.js';

interface CaseEntitiesJson {
  readonly case: { readonly id: string; readonly number: string };
  readonly entities: readonly CaseEntity[];
}

const LIBYAN_AD = `رحلة من زوارة إلى لامبيدوزا، السعر ٥٠٠٠ يورو للشخص.
للتواصل واتساب wa.me/218912345678 أو تلغرام @zuwara_trips
هاتف: ٠٩٢٣٤٥٦٧٨٩ — الدفع USDT TRC20 TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t
`;
const CHAT_EXPORT = `[12/05/2024, 21:14] Omar: new number +218 92 345 6789
[12/05/2024, 21:15] Omar: pay the IBAN DE89 3704 0044 0532 0130 00, not DE89 3704 0044 0532 0130 01
`;

describe(
  'custos entities',
  () => {
    let temp: TempStore;
    let ad: { id: string };
    let chat: { id: string };

    beforeAll(async () => {
      temp = makeTempStore({ caseNumber: 'LY-2026-01' });
      const other = await runCustos(['case', 'create', '--number', 'IT-2026-07', '--title', 'Chats'], {
        store: temp.dir,
      });
      expect(other.status, other.stderr).toBe(0);
      const adFile = temp.writeFile('ad-zuwara.txt', LIBYAN_AD);
      const chatFile = temp.writeFile('chat-export.txt', CHAT_EXPORT);
      const first = await runCustosJson<{ items: { id: string }[] }>(
        ['import', adFile, '--case', 'LY-2026-01'],
        {
          store: temp.dir,
        },
      );
      expect(first.status, first.stderr).toBe(0);
      const second = await runCustosJson<{ items: { id: string }[] }>(
        ['import', chatFile, '--case', 'IT-2026-07'],
        {
          store: temp.dir,
        },
      );
      expect(second.status, second.stderr).toBe(0);
      ad = first.json.items[0] ?? { id: '' };
      chat = second.json.items[0] ?? { id: '' };
    }, CLI_TEST_TIMEOUT_MS);
    afterAll(() => temp?.remove());

    it('lists what an imported text file mentions, each entity with its items, right after the import', async () => {
      const result = await runCustosJson<CaseEntitiesJson>(['entities', '--case', 'LY-2026-01'], {
        store: temp.dir,
      });
      expect(result.status, result.stderr).toBe(0);
      expect(result.json.entities.map((e) => `${e.type} ${e.value}`)).toEqual([
        'phone +218923456789',
        'whatsapp +218912345678',
        'telegram @zuwara_trips',
        'tron TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t',
        'price 5000 EUR',
      ]);
      const phone = result.json.entities[0];
      expect(phone?.items).toEqual([
        {
          id: ad.id,
          occurrences: [{ source: 'original', offset: expect.any(Number), original: '٠٩٢٣٤٥٦٧٨٩' }],
        },
      ]);
    });

    it('flags an entity that another case mentions too, in both cases', async () => {
      const libya = await runCustosJson<CaseEntitiesJson>(
        ['entities', '--case', 'LY-2026-01', '--type', 'phone'],
        {
          store: temp.dir,
        },
      );
      expect(libya.json.entities).toMatchObject([
        { value: '+218923456789', crossCase: true, otherCases: [{ number: 'IT-2026-07' }] },
      ]);
      const italy = await runCustosJson<CaseEntitiesJson>(['entities', '--case', 'IT-2026-07'], {
        store: temp.dir,
      });
      expect(italy.json.entities.map((e) => [e.type, e.value, e.crossCase])).toEqual([
        ['phone', '+218923456789', true],
        ['iban', 'DE89370400440532013000', false], // the one with the wrong check digits is not there
      ]);
      const table = await runCustos(['entities', '--case', 'IT-2026-07'], { store: temp.dir });
      expect(table.stdout).toMatch(/phone\s+\+218923456789\s+1: \S+\s+CROSS-CASE LY-2026-01/);
    });

    it('--value finds every item in any case that mentions an entity, however it is written', async () => {
      for (const typed of ['+218 92 345 6789', '0923456789 ليبيا', '+218923456789']) {
        const result = await runCustosJson<{ items: EntityMention[]; cases: string[]; crossCase: boolean }>(
          ['entities', '--value', typed],
          { store: temp.dir },
        );
        expect(result.status, result.stderr).toBe(0);
        expect(result.json.items.map((m) => [m.caseNumber, m.itemId])).toEqual([
          ['IT-2026-07', chat.id],
          ['LY-2026-01', ad.id],
        ]);
        expect(result.json.crossCase).toBe(true);
      }
      const link = await runCustosJson<{ items: EntityMention[] }>(
        ['entities', '--value', 'https://t.me/Zuwara_Trips'],
        {
          store: temp.dir,
        },
      );
      expect(link.json.items.map((m) => m.itemId)).toEqual([ad.id]);
      const none = await runCustos(['entities', '--value', '+39 347 000 0000'], { store: temp.dir });
      expect([none.status, none.stdout.trim()]).toEqual([0, 'No item mentions +39 347 000 0000.']);
    });

    it('bad usage exits 2 and says what to do', async () => {
      const unknownCase = await runCustos(['entities', '--case', 'NOPE-1'], { store: temp.dir });
      expect(unknownCase.status).toBe(2);
      expect(unknownCase.stderr).toContain('case NOPE-1 not found; `custos case list` shows cases');
      const unknownType = await runCustos(['entities', '--case', 'LY-2026-01', '--type', 'fax'], {
        store: temp.dir,
      });
      expect(unknownType.status).toBe(2);
      expect(unknownType.stderr).toContain('unknown entity type "fax"; types are: phone, whatsapp');
      const neither = await runCustos(['entities'], { store: temp.dir });
      expect(neither.status).toBe(2);
      expect(neither.stderr).toContain('give either --case CASE or --value VALUE');
    });

    it('custos reindex rebuilds the entities from the originals, and the audit stays clean', async () => {
      const before = await runCustosJson<CaseEntitiesJson>(['entities', '--case', 'LY-2026-01'], {
        store: temp.dir,
      });
      const store = temp.open();
      try {
        store.transaction((db) => db.exec('DELETE FROM entity_occurrences; DELETE FROM entities;'));
      } finally {
        store.close();
      }
      const emptied = await runCustosJson<CaseEntitiesJson>(['entities', '--case', 'LY-2026-01'], {
        store: temp.dir,
      });
      expect(emptied.json.entities).toEqual([]);
      const reindex = await runCustos(['reindex'], { store: temp.dir });
      expect(reindex.status, reindex.stderr).toBe(0);
      const after = await runCustosJson<CaseEntitiesJson>(['entities', '--case', 'LY-2026-01'], {
        store: temp.dir,
      });
      expect(after.json.entities).toEqual(before.json.entities);
      const audit = await runCustos(['audit'], { store: temp.dir });
      expect(audit.status, audit.stdout + audit.stderr).toBe(0);
    });
  },
  CLI_TEST_TIMEOUT_MS,
);
