import { describe, expect, it } from 'vitest';
import { ENTITY_TYPES } from '../../../shared/entities.js';
import { ENTITY_GOAL, loadLabelledSet, scoreLabelledSet } from '../../support/entity-scoring.js';

describe('accuracy on the hand-labelled snippets (issue 8 goal: precision ≥ 0.95, recall ≥ 0.9 per type)', () => {
  const snippets = loadLabelledSet();

  it('the set has at least 60 snippets and covers every entity type, with snippets that expect nothing', () => {
    expect(snippets.length).toBeGreaterThanOrEqual(60);
    const covered = new Set(snippets.flatMap((s) => s.expected.map((e) => e.type)));
    expect([...ENTITY_TYPES].filter((t) => !covered.has(t))).toEqual([]);
    expect(snippets.filter((s) => s.expected.length === 0).length).toBeGreaterThanOrEqual(10);
  });

  it('every type meets the goal', () => {
    const { scores, misses } = scoreLabelledSet(snippets);
    const below = scores
      .filter((s) => s.precision < ENTITY_GOAL.precision || s.recall < ENTITY_GOAL.recall)
      .map((s) => `${s.type}: precision ${s.precision.toFixed(3)}, recall ${s.recall.toFixed(3)}`);
    expect(below, JSON.stringify(misses, null, 2)).toEqual([]);
  });
});
