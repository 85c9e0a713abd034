/**
 * Readers of the entity export formats as link-analysis tools read them: RFC 4180 CSV and
 * GraphML, so that the tests check what a spreadsheet or Gephi would find.
 */
import { XMLParser } from 'fast-xml-parser';

/** The columns of an entity CSV, in order, as docs/CLI.md promises them to a spreadsheet. */
export const ENTITY_CSV_HEADER: readonly string[] = [
  'type',
  'value',
  'raw_text',
  'found_in',
  'item_id',
  'title',
  'url',
  'captured_at',
  'case',
];

/** RFC 4180 rows (quoted fields with doubled quotes, CRLF), read the way a spreadsheet does. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

/** A GraphML node: its id and its data values by key. */
export interface GraphmlNode {
  readonly id: string;
  readonly data: Readonly<Record<string, string>>;
}

/** The nodes and edges of a GraphML document, read with an XML parser. */
export function parseGraphml(text: string): {
  nodes: GraphmlNode[];
  edges: { source: string; target: string }[];
} {
  const parsed = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: (name, _path, _leaf, isAttribute) =>
      !isAttribute && ['node', 'edge', 'data', 'key'].includes(name),
  }).parse(text);
  const graph = parsed.graphml.graph;
  const nodes = ((graph.node ?? []) as { id: string; data: { key: string; '#text': unknown }[] }[]).map(
    (n) => ({
      id: n.id,
      data: Object.fromEntries(n.data.map((d) => [d.key, String(d['#text'] ?? '')])),
    }),
  );
  return { nodes, edges: (graph.edge ?? []) as { source: string; target: string }[] };
}
