import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type EntityHints, extractEntities } from '../../electron/core/entities/extract-entities.js';
import { ENTITY_TYPES, type EntityType } from '../../shared/entities.js';

/** One hand-labelled snippet of test/fixtures/entities/labelled-snippets.json. */
export interface LabelledSnippet {
  readonly id: string;
  readonly text: string;
  readonly hints: EntityHints;
  readonly expected: readonly { readonly type: EntityType; readonly value: string }[];
}

/** Precision and recall of one entity type over the labelled set. */
export interface TypeScore {
  readonly type: EntityType;
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly falseNegatives: number;
  /** 1 when nothing was found (no false positive is possible). */
  readonly precision: number;
  /** 1 when nothing was expected. */
  readonly recall: number;
}

/** The goal of issue 8: per type, precision at least 0.95 and recall at least 0.9. */
export const ENTITY_GOAL = { precision: 0.95, recall: 0.9 } as const;

export const LABELLED_SET_FILE = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'fixtures',
  'entities',
  'labelled-snippets.json',
);

export function loadLabelledSet(): LabelledSnippet[] {
  return (JSON.parse(fs.readFileSync(LABELLED_SET_FILE, 'utf8')) as { snippets: LabelledSnippet[] }).snippets;
}

/**
 * Runs the extractor over every snippet and compares (type, value) pairs with the labels, as sets
 * per snippet. Returns each type's score and every miss, for a reader to see what went wrong.
 */
export function scoreLabelledSet(snippets: readonly LabelledSnippet[]) {
  const counts = new Map<EntityType, { tp: number; fp: number; fn: number }>(
    ENTITY_TYPES.map((t) => [t, { tp: 0, fp: 0, fn: 0 }]),
  );
  const misses: { id: string; kind: 'false positive' | 'false negative'; type: EntityType; value: string }[] =
    [];
  for (const snippet of snippets) {
    const key = (e: { type: string; value: string }) => `${e.type}\u0000${e.value}`;
    const expected = new Set(snippet.expected.map(key));
    const found = new Map(extractEntities(snippet.text, snippet.hints).map((e) => [key(e), e]));
    for (const [k, e] of found) {
      const c = counts.get(e.type);
      if (!c) continue;
      if (expected.has(k)) c.tp++;
      else {
        c.fp++;
        misses.push({ id: snippet.id, kind: 'false positive', type: e.type, value: e.value });
      }
    }
    for (const e of snippet.expected) {
      if (found.has(key(e))) continue;
      const c = counts.get(e.type);
      if (c) c.fn++;
      misses.push({ id: snippet.id, kind: 'false negative', type: e.type, value: e.value });
    }
  }
  const scores: TypeScore[] = ENTITY_TYPES.map((type) => {
    const c = counts.get(type) ?? { tp: 0, fp: 0, fn: 0 };
    return {
      type,
      truePositives: c.tp,
      falsePositives: c.fp,
      falseNegatives: c.fn,
      precision: c.tp + c.fp === 0 ? 1 : c.tp / (c.tp + c.fp),
      recall: c.tp + c.fn === 0 ? 1 : c.tp / (c.tp + c.fn),
    };
  });
  return { scores, misses };
}
