/** `custos entities --case CASE --format csv|graphml`: entity–item links for link-analysis tools. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTITY_CSV_HEADER, parseCsv, parseGraphml } from '../support/link-formats.js';
import { runCustos, runCustosJson } from '../support/run-custos.js';
import { makeTempStore, type TempStore } from '../support/temp-store.js';
import { CLI_TEST_TIMEOUT_MS } from './cli-fixtures.js';

const AD = `رحلة إلى لامبيدوزا "VIP", 5000 EUR — واتساب wa.me/218912345678
Call +218 91 234 5678 <fast> & safe
`;

let temp: TempStore;
let itemId: string;

beforeAll(async () => {
  temp = makeTempStore({ caseNumber: 'LY-3' });
  const imported = await runCustosJson<{ items: { id: string }[] }>(
    ['import', temp.writeFile('ad "one".txt', AD), '--case', 'LY-3'],
    { store: temp.dir },
  );
  expect(imported.status, imported.stderr).toBe(0);
  itemId = imported.json.items[0]!.id;
}, CLI_TEST_TIMEOUT_MS);

afterAll(() => temp?.remove());

describe('custos entities --format', () => {
  it('writes one CSV row per entity–item link with type, value, raw text, item, title, URL, capture time and case', async () => {
    const result = await runCustos(['entities', '--case', 'LY-3', '--format', 'csv'], { store: temp.dir });
    expect(result.status, result.stderr).toBe(0);
    const [header, ...rows] = parseCsv(result.stdout);
    expect(header).toEqual(ENTITY_CSV_HEADER);
    const byType = Object.fromEntries(rows.map((r) => [`${r[0]} ${r[1]}`, r]));
    expect(Object.keys(byType).sort()).toEqual([
      'phone +218912345678',
      'price 5000 EUR',
      'whatsapp +218912345678',
    ]);
    expect(byType['phone +218912345678']).toEqual([
      'phone',
      '+218912345678',
      '+218 91 234 5678',
      'original',
      itemId,
      'ad "one".txt',
      '',
      expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      'LY-3',
    ]);
  });

  it('writes GraphML that an XML parser reads, with entities and items as nodes and a link per edge', async () => {
    const result = await runCustos(['entities', '--case', 'LY-3', '--format', 'graphml'], {
      store: temp.dir,
    });
    expect(result.status, result.stderr).toBe(0);
    const { nodes, edges } = parseGraphml(result.stdout);
    const kind = (n: (typeof nodes)[number]) => n.data.kind;
    expect(nodes.filter((n) => kind(n) === 'item').map((n) => n.id)).toEqual([`item:${itemId}`]);
    expect(
      nodes
        .filter((n) => kind(n) === 'entity')
        .map((n) => n.id)
        .sort(),
    ).toEqual(['entity:phone:+218912345678', 'entity:price:5000 EUR', 'entity:whatsapp:+218912345678']);
    expect(edges).toHaveLength(3);
    for (const edge of edges) expect(edge.target).toBe(`item:${itemId}`);
    const item = nodes.find((n) => kind(n) === 'item')!;
    expect(item.data.title).toBe('ad "one".txt');
  });

  it('refuses an unknown format, or --format without a case, with exit 2', async () => {
    const unknown = await runCustos(['entities', '--case', 'LY-3', '--format', 'xlsx'], { store: temp.dir });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/formats are: csv, graphml/);
    const noCase = await runCustos(['entities', '--value', '+218912345678', '--format', 'csv'], {
      store: temp.dir,
    });
    expect(noCase.status).toBe(2);
  });
});
