/**
 * Entities out to link-analysis tools (i2 Analyst's Notebook, Maltego, Gephi): one row per
 * entity–item link as CSV, or a GraphML graph whose nodes are the entities and the items.
 */
import type { ReadableDB } from '../store/database.js';

/** The export formats. */
export const ENTITY_EXPORT_FORMATS = ['csv', 'graphml'] as const;
export type EntityExportFormat = (typeof ENTITY_EXPORT_FORMATS)[number];

/** One entity–item link of a case. */
export interface EntityLink {
  readonly type: string;
  readonly value: string;
  /** The text as written, the first occurrence in the item. */
  readonly raw: string;
  /** Where in the item (`text`, `picture`…), comma-separated. */
  readonly sources: string;
  readonly itemId: string;
  readonly title: string | null;
  readonly url: string | null;
  readonly capturedAt: string;
  readonly caseNumber: string;
}

/** Every entity–item link of a case, by type, value and capture time. */
export function entityLinks(db: ReadableDB, caseId: string): EntityLink[] {
  return db
    .prepare(
      `SELECT e.type, e.value, min(o.original) AS raw, group_concat(DISTINCT o.source) AS sources,
              i.id AS itemId, i.title, i.url, i.captured_at AS capturedAt, c.number AS caseNumber
       FROM entity_occurrences o JOIN entities e ON e.id = o.entity_id
       JOIN items i ON i.id = o.item_id JOIN cases c ON c.id = o.case_id
       WHERE o.case_id = ? GROUP BY e.id, i.id ORDER BY e.type, e.value, i.captured_at, i.id`,
    )
    .all(caseId) as EntityLink[];
}

const CSV_COLUMNS = [
  ['type', 'type'],
  ['value', 'value'],
  ['raw_text', 'raw'],
  ['found_in', 'sources'],
  ['item_id', 'itemId'],
  ['title', 'title'],
  ['url', 'url'],
  ['captured_at', 'capturedAt'],
  ['case', 'caseNumber'],
] as const;

/** RFC 4180 CSV with a header row, CRLF line ends, every field quoted where it must be. */
export function entityLinksCsv(links: readonly EntityLink[]): string {
  const field = (value: string | null) => {
    const text = value ?? '';
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [CSV_COLUMNS.map(([name]) => name).join(',')];
  for (const link of links) lines.push(CSV_COLUMNS.map(([, key]) => field(link[key])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** XML text: the five special characters escaped and characters XML 1.0 cannot hold dropped. */
function xml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const NODE_KEYS = ['kind', 'label', 'entity_type', 'value', 'title', 'url', 'captured_at', 'case'] as const;
const EDGE_KEYS = ['raw_text', 'found_in'] as const;

/**
 * GraphML: a node per entity (`kind` entity, its type and value) and per item (`kind` item, its
 * title, URL, capture time and case), an undirected edge per link carrying the raw text and where
 * it was found. Every node has a `label`, which Gephi shows.
 */
export function entityLinksGraphml(links: readonly EntityLink[]): string {
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
    ...NODE_KEYS.map((k) => `  <key id="${k}" for="node" attr.name="${k}" attr.type="string"/>`),
    ...EDGE_KEYS.map((k) => `  <key id="${k}" for="edge" attr.name="${k}" attr.type="string"/>`),
    '  <graph id="entities" edgedefault="undirected">',
  ];
  const node = (id: string, data: Readonly<Record<string, string | null>>) => {
    out.push(`    <node id="${xml(id)}">`);
    for (const [key, value] of Object.entries(data))
      if (value !== null) out.push(`      <data key="${key}">${xml(value)}</data>`);
    out.push('    </node>');
  };
  const seen = new Set<string>();
  for (const l of links) {
    const entity = `entity:${l.type}:${l.value}`;
    if (!seen.has(entity))
      node(entity, { kind: 'entity', label: l.value, entity_type: l.type, value: l.value });
    seen.add(entity);
    const item = `item:${l.itemId}`;
    if (!seen.has(item))
      node(item, {
        kind: 'item',
        label: l.title ?? l.url ?? l.itemId,
        title: l.title,
        url: l.url,
        captured_at: l.capturedAt,
        case: l.caseNumber,
      });
    seen.add(item);
  }
  links.forEach((l, index) => {
    out.push(
      `    <edge id="link${index + 1}" source="${xml(`entity:${l.type}:${l.value}`)}" target="${xml(`item:${l.itemId}`)}">`,
    );
    out.push(
      `      <data key="raw_text">${xml(l.raw)}</data>`,
      `      <data key="found_in">${xml(l.sources)}</data>`,
    );
    out.push('    </edge>');
  });
  out.push('  </graph>', '</graphml>', '');
  return out.join('\n');
}

/** A case's entity links in one format. */
export function exportEntityLinks(db: ReadableDB, caseId: string, format: EntityExportFormat): string {
  const links = entityLinks(db, caseId);
  return format === 'csv' ? entityLinksCsv(links) : entityLinksGraphml(links);
}
