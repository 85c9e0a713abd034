/**
 * Entity extraction accuracy: precision and recall per entity type over the hand-labelled
 * snippets (test/fixtures/entities/labelled-snippets.json), against the goal (precision ≥ 0.95,
 * recall ≥ 0.9), and the extraction time per snippet. Prints every miss.
 *
 *   node --import tsx bench/entities/run.ts
 */
import { performance } from 'node:perf_hooks';
import { extractEntities } from '../../electron/core/entities/extract-entities.js';
import { ENTITY_GOAL, loadLabelledSet, scoreLabelledSet } from '../../test/support/entity-scoring.js';
import { printFigures } from '../support/bench-kit.js';

const snippets = loadLabelledSet();
const { scores, misses } = scoreLabelledSet(snippets);
const pct = (n: number) => n.toFixed(3);
console.log(
  `${snippets.length} labelled snippets; goal precision ≥ ${ENTITY_GOAL.precision}, recall ≥ ${ENTITY_GOAL.recall}`,
);
console.log('');
console.log('type        expected  found  tp  fp  fn  precision  recall  goal');
for (const s of scores) {
  const met = s.precision >= ENTITY_GOAL.precision && s.recall >= ENTITY_GOAL.recall;
  console.log(
    `${s.type.padEnd(10)}  ${String(s.truePositives + s.falseNegatives).padStart(8)}  ${String(s.truePositives + s.falsePositives).padStart(5)}  ${String(s.truePositives).padStart(2)}  ${String(s.falsePositives).padStart(2)}  ${String(s.falseNegatives).padStart(2)}  ${pct(s.precision).padStart(9)}  ${pct(s.recall).padStart(6)}  ${met ? 'met' : 'NOT MET'}`,
  );
}
const total = scores.reduce(
  (t, s) => ({ tp: t.tp + s.truePositives, fp: t.fp + s.falsePositives, fn: t.fn + s.falseNegatives }),
  { tp: 0, fp: 0, fn: 0 },
);
console.log(
  `${'all'.padEnd(10)}  ${String(total.tp + total.fn).padStart(8)}  ${String(total.tp + total.fp).padStart(5)}  ${String(total.tp).padStart(2)}  ${String(total.fp).padStart(2)}  ${String(total.fn).padStart(2)}  ${pct(total.tp / (total.tp + total.fp)).padStart(9)}  ${pct(total.tp / (total.tp + total.fn)).padStart(6)}`,
);
if (misses.length) {
  console.log('\nMisses:');
  for (const m of misses) console.log(`  ${m.id}: ${m.kind} ${m.type} ${m.value}`);
}

const rounds = 20;
const started = performance.now();
for (let i = 0; i < rounds; i++) for (const s of snippets) extractEntities(s.text, s.hints);
const perSnippet = (performance.now() - started) / (rounds * snippets.length);
printFigures('Extraction time', [['per snippet (mean)', `${perSnippet.toFixed(3)} ms`]]);
