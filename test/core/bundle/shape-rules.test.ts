import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../bench/support/bench-kit.js';
import {
  CAPTURE_RECORD_SHAPE,
  MANIFEST_SHAPE,
  TIMESTAMP_INDEX_SHAPE,
} from '../../../electron/core/bundle/format.js';
import {
  captureRecordSchema,
  manifestSchema,
  timestampIndexSchema,
} from '../../../electron/core/bundle/format-schemas.js';
import { checkShape, protoKeyPath, record, type Shape } from '../../../electron/core/bundle/shape-rules.js';

/**
 * verify checks a bundle's manifest, capture records and timestamp index without zod; pulling a
 * case still parses manifests with zod. Both are built from one declaration of each shape, and a
 * recipient must get the same verdict and the same words from either: these tests hold
 * `checkShape` to zod's `safeParse` over thousands of hostile inputs.
 */

const HASH = 'a'.repeat(64);
const KEY = 'b'.repeat(64);

/** A capture record as export writes it. */
function captureRecord(itemId: string): Record<string, unknown> {
  return {
    recordVersion: 1,
    itemId,
    caseId: 'case-1',
    kind: 'import',
    source: 'post.png',
    capturedAt: '2026-05-12T12:00:01.000Z',
    timeZone: 'Europe/Madrid',
    investigator: { id: 'inv-1', name: 'Ana Ruiz', keyFingerprint: KEY },
    metadata: { originalName: 'post.png', nested: { deep: [1, 2] } },
    artifacts: [
      { role: 'original', name: 'original.png', mediaType: 'image/png', size: 1200, sha256: HASH },
      { role: 'screenshot', name: 'page.png', mediaType: 'image/png', size: 0, sha256: HASH },
    ],
  };
}

/** A well-formed manifest of two items (every optional field present somewhere). */
function manifest(): Record<string, unknown> {
  const item = (id: string, title: unknown) => ({
    id,
    kind: 'import',
    sourceUrl: 'https://example.org/p/1',
    capturedAt: '2026-05-12T12:00:01.000Z',
    digest: HASH,
    ...(title === undefined ? {} : { title }),
    record: captureRecord(id),
    artifacts: [
      {
        path: `items/${id}/original.png`,
        role: 'original',
        mediaType: 'image/png',
        size: 1200,
        sha256: HASH,
      },
    ],
  });
  return {
    formatVersion: 2,
    case: { id: 'case-1', number: 'BE/2026/0457', title: 'Boats' },
    exporter: { investigatorId: 'inv-1', name: 'Ana Ruiz', agency: null, badge: 'B-7', keyFingerprint: KEY },
    exportedAt: '2026-05-13T08:00:00.000Z',
    timeZone: 'Europe/Madrid',
    tool: { name: 'Custos', version: '0.1.0' },
    items: [item('item-1', 'A post'), item('item-2', null), item('item-3', undefined)],
    files: [{ path: 'custody.jsonl', size: 9000, sha256: HASH }],
    custody: { path: 'custody.jsonl', firstSeq: 1, lastSeq: 40, headHash: HASH, lines: 40 },
    keys: [
      { keyFingerprint: KEY, publicKeyPem: '-----BEGIN PUBLIC KEY-----', name: 'Ben', agency: null },
      { keyFingerprint: KEY, publicKeyPem: 'pem', investigatorId: 'inv-2' },
    ],
  };
}

/** Timestamps/index.json of two tokens (one of the ledger head). */
function timestampIndex(): unknown[] {
  return [
    { file: 'timestamps/item-1.tsr', sha256: HASH, covers: 'item-1', tsa: 'https://tsa.example', time: 't' },
    {
      file: 'timestamps/ledger-head.tsr',
      sha256: HASH,
      covers: 'ledger-head',
      tsa: 'https://tsa.example',
      time: 't',
      chain: 'timestamps/chain.pem',
      tsaName: 'CN=TSA',
      ledgerSeq: 40,
    },
  ];
}

/** Stands in a value for a number JSON.stringify cannot write (1e400 reads back as Infinity). */
const INFINITY = '@@infinity@@';
const MINUS_INFINITY = '@@-infinity@@';

/** Values a forger may put anywhere: wrong types, edge numbers, bad hashes and paths, odd text. */
const HOSTILE: readonly unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  -1.5,
  2 ** 53,
  1e20,
  -1e20,
  INFINITY,
  MINUS_INFINITY,
  '',
  ' ',
  'x',
  'A'.repeat(64),
  'g'.repeat(64),
  'a'.repeat(63),
  '/etc/passwd',
  'items//x',
  '.',
  '..',
  'items/../x',
  'items/./x',
  'items/x/',
  '𝔘ñí©ødé ‮ 🚤',
  '\u0000',
  'capture',
  'screenshot',
  1,
  2,
  '1',
  [],
  [1, 'a'],
  {},
  { a: 1 },
];

/** Keys a forger may add: unknown ones, and names that are special to JavaScript objects. */
const EXTRA_KEYS: readonly string[] = [
  'extra',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  '0',
];

type Json = Record<string, unknown> | unknown[];

/** Every object and array inside a value (itself included), to pick where a mutation goes. */
function containers(value: unknown, out: Json[] = []): Json[] {
  if (typeof value !== 'object' || value === null) return out;
  out.push(value as Json);
  for (const child of Object.values(value)) containers(child, out);
  return out;
}

/** Changes one thing in `root` at random: a field removed, replaced, added, an element added or all dropped. */
function mutate(root: Json, random: () => number): void {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const target = pick(containers(root));
  const keys = Object.keys(target);
  const hostile = structuredClone(pick(HOSTILE));
  const move = random();
  if (Array.isArray(target)) {
    if (move < 0.2) target.length = 0;
    else if (move < 0.5 || keys.length === 0) target.push(hostile);
    else target[Math.floor(random() * target.length)] = hostile;
  } else if (move < 0.3 && keys.length > 0) delete target[pick(keys)];
  else if (move < 0.5)
    // defineProperty: a plain assignment to __proto__ would set the prototype, not add the key
    Object.defineProperty(target, pick(EXTRA_KEYS), {
      value: hostile,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  else if (keys.length > 0) target[pick(keys)] = hostile;
}

/** The value as `JSON.parse` gives it to verify (so `__proto__` is an own key and 1e400 is Infinity). */
function throughJson(value: unknown): unknown {
  const text = JSON.stringify(value)
    .replaceAll(`"${INFINITY}"`, '1e400')
    .replaceAll(`"${MINUS_INFINITY}"`, '-1e400');
  return JSON.parse(text);
}

/** What zod's safeParse says, in checkShape's form, with the value as JSON text (key order included). */
function zodVerdict(schema: { safeParse(value: unknown): unknown }, value: unknown) {
  const parsed = schema.safeParse(value) as
    | { success: true; data: unknown }
    | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
  if (parsed.success) return { ok: true, value: JSON.stringify(parsed.data) };
  const issue = parsed.error.issues[0]!;
  return { ok: false, problem: { path: issue.path, message: issue.message } };
}

/** checkShape's answer, in the same form. */
function handVerdict(shape: Shape<unknown>, value: unknown) {
  const checked = checkShape(shape, value);
  return checked.ok
    ? { ok: true, value: JSON.stringify(checked.value) }
    : { ok: false, problem: { path: [...checked.problem.path], message: checked.problem.message } };
}

/**
 * Checks `count` inputs made from `base` by one to three mutations each against both, and returns
 * the distinct messages met (so that a run that only ever met one kind of problem shows).
 */
function compareOver(
  shape: Shape<unknown>,
  schema: { safeParse(value: unknown): unknown },
  base: () => Json,
  count: number,
  seed: number,
): { messages: Set<string>; valid: number } {
  const random = seededRandom(seed);
  const messages = new Set<string>();
  let valid = 0;
  for (let n = 0; n < count; n++) {
    const input = base();
    const mutations = 1 + Math.floor(random() * 3);
    for (let m = 0; m < mutations; m++) mutate(input, random);
    const value = throughJson(input);
    const hand = handVerdict(shape, value);
    expect(hand, JSON.stringify(input)).toEqual(zodVerdict(schema, value));
    if (hand.problem) messages.add(hand.problem.message);
    else valid++;
  }
  return { messages, valid };
}

describe("a bundle's JSON files checked without zod", () => {
  it('accept a well-formed manifest, capture record and timestamp index as zod does, giving the same value', () => {
    for (const [shape, schema, value] of [
      [MANIFEST_SHAPE, manifestSchema, manifest()],
      [CAPTURE_RECORD_SHAPE, captureRecordSchema, captureRecord('item-1')],
      [TIMESTAMP_INDEX_SHAPE, timestampIndexSchema, timestampIndex()],
    ] as const) {
      const hand = handVerdict(shape as Shape<unknown>, throughJson(value));
      expect(hand.ok).toBe(true);
      expect(hand).toEqual(zodVerdict(schema, throughJson(value)));
    }
  });

  it('refuse every hostile manifest zod refuses, naming the same first problem in the same words', () => {
    const { messages, valid } = compareOver(MANIFEST_SHAPE, manifestSchema, manifest, 4000, 18);
    // The inputs met every kind of problem, and some mutations (an extra key) still left a manifest.
    expect(messages.size).toBeGreaterThanOrEqual(15);
    expect(valid).toBeGreaterThan(0);
  });

  it('judge hostile capture records and timestamp indexes as zod does', () => {
    const records = compareOver(CAPTURE_RECORD_SHAPE, captureRecordSchema, () => captureRecord('i'), 3000, 7);
    expect(records.messages.size).toBeGreaterThanOrEqual(12);
    expect(records.valid).toBeGreaterThan(0);
    const index = compareOver(TIMESTAMP_INDEX_SHAPE, timestampIndexSchema, timestampIndex, 2000, 3);
    expect(index.messages.size).toBeGreaterThanOrEqual(10);
    expect(index.valid).toBeGreaterThan(0);
  });

  // The hostile inputs above include __proto__ keys: checkShape drops them as zod does (pulling a
  // case parses with zod), and verify refuses a manifest holding one before checkShape sees it
  // (protoKeyPath), so that its digests are never computed from a record jq reads otherwise.
  it('never let a __proto__ key of a record change what the record holds', () => {
    const checked = checkShape(
      record(),
      JSON.parse('{"__proto__": {"polluted": true}, "originalName": "x"}'),
    );
    expect(checked).toEqual({ ok: true, value: { originalName: 'x' } });
    expect(Object.getPrototypeOf((checked as { value: object }).value)).toBe(Object.prototype);
  });

  it('find the __proto__ key verify refuses wherever a manifest holds it, however it is spelled', () => {
    const at = (text: string) => protoKeyPath(JSON.parse(text), text);
    expect(at(JSON.stringify(manifest()))).toBeNull();
    expect(at('{"items": [{"record": {"__proto__": {}, "itemId": "i"}}]}')).toEqual(['items', 0, 'record']);
    expect(at('{"items": [{"record": {"metadata": {"a": [1, {"__proto__": 1}]}}}]}')).toEqual([
      'items',
      0,
      'record',
      'metadata',
      'a',
      1,
    ]);
    expect(at('{"k": {"\\u005f_proto__": null}}')).toEqual(['k']);
    expect(at(`{"deep": ${'['.repeat(5000)}{"__proto__": 1}${']'.repeat(5000)}}`)).toHaveLength(5001);
    expect(at('{"proto": "__proto__ as a value, \\u0041"}')).toBeNull();
  });

  it('look for a __proto__ key in a manifest of millions of values within a small heap', () => {
    // Before, the search made an object for every value, strings and numbers too, all alive at
    // once for an array's values: three million numbers ran a 192 MB heap out of memory.
    const module = path.resolve('electron/core/bundle/shape-rules.ts');
    const script = `
      const { protoKeyPath } = await import(${JSON.stringify(module)});
      const numbers = Array.from({ length: 3_000_000 }, (_, i) => i % 1000).join(',');
      const text = '{"s": "\\\\u0041", "n": [' + numbers + ']}';
      process.stdout.write(JSON.stringify(protoKeyPath(JSON.parse(text), text)));`;
    const args = ['--max-old-space-size=128', '--import', 'tsx', '--input-type=module', '-e', script];
    const child = spawnSync(process.execPath, args, { encoding: 'utf8' });
    expect(child.stderr).not.toMatch(/heap out of memory/);
    expect({ status: child.status, stdout: child.stdout }).toEqual({ status: 0, stdout: 'null' });
  });
});
