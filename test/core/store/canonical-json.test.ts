import canonicalize from 'canonicalize';
import { describe, expect, test } from 'vitest';
import { canonicalJson } from '../../../electron/core/store/canonical-json.js';

/** A small seeded generator (mulberry32), so that a failing input can be found again. */
function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Keys and strings met in evidence: non-ASCII names, RTL text, emoji, controls, separators, sort traps. */
const WORDS = [
  '',
  'a',
  'B',
  'b',
  '10',
  '9',
  'é',
  'e\u0301',
  'Ä',
  'ß',
  'مرحبا',
  'واتساب',
  'Лампедуза',
  '東京',
  '😀',
  '\u{1F1EE}\u{1F1F9}',
  '\ufb01',
  '\u0000',
  '\u001f',
  '\u007f',
  '\u2028',
  '\u2029',
  '"quoted"',
  'back\\slash',
  '\ttab\nline',
  '\ud83d\ude00b',
  '\uffff',
];

const NUMBERS = [
  0,
  -0,
  1,
  -1,
  0.1,
  0.2 + 0.1,
  1 / 3,
  1e21,
  1e-7,
  1e-6,
  123456789012345680000,
  5e-324,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  Number.MAX_SAFE_INTEGER,
  Number.MIN_SAFE_INTEGER,
  2 ** 53 + 2,
  4.35,
  0.000001,
  1e20,
  -1.5e-300,
  3000,
  3_000.5,
];

function randomString(next: () => number): string {
  if (next() < 0.5) return WORDS[Math.floor(next() * WORDS.length)]!;
  let text = '';
  const length = Math.floor(next() * 12);
  for (let i = 0; i < length; i++) {
    const pick = next();
    // ASCII, then the rest of the BMP (outside the surrogate range), then astral code points.
    const code =
      pick < 0.5
        ? Math.floor(next() * 0x80)
        : pick < 0.85
          ? 0xe000 + Math.floor(next() * 0x2000) - (next() < 0.5 ? 0xd000 : 0)
          : 0x10000 + Math.floor(next() * 0xfffff);
    text += String.fromCodePoint(code);
  }
  return text;
}

function randomNumber(next: () => number): number {
  const pick = next();
  if (pick < 0.4) return NUMBERS[Math.floor(next() * NUMBERS.length)]!;
  if (pick < 0.7) return Math.floor((next() - 0.5) * 2 ** (next() * 60));
  return (next() - 0.5) * 10 ** Math.floor((next() - 0.5) * 40);
}

function randomValue(next: () => number, depth: number): unknown {
  const pick = next();
  if (depth > 3 || pick < 0.45) {
    const leaf = next();
    if (leaf < 0.4) return randomString(next);
    if (leaf < 0.75) return randomNumber(next);
    if (leaf < 0.85) return next() < 0.5;
    if (leaf < 0.95) return null;
    return undefined; // skipped in an object, null in an array
  }
  if (pick < 0.7) return Array.from({ length: Math.floor(next() * 5) }, () => randomValue(next, depth + 1));
  const object: Record<string, unknown> = {};
  const keys = Math.floor(next() * 6);
  for (let i = 0; i < keys; i++) object[randomString(next)] = randomValue(next, depth + 1);
  return object;
}

/** The library's result, or its error message. */
function byLibrary(value: unknown): string {
  try {
    return canonicalize(value) ?? 'undefined';
  } catch (error) {
    return `throws ${(error as Error).message}`;
  }
}

function byStore(value: unknown): string {
  try {
    return canonicalJson(value);
  } catch (error) {
    return `throws ${(error as Error).message}`;
  }
}

describe('canonicalJson (RFC 8785), the bytes every digest and custody signature covers', () => {
  test('writes exactly what the canonicalize library writes for 20,000 random values: non-ASCII and astral text, controls, numbers of every form, nesting', () => {
    const next = randomSource(18);
    for (let i = 0; i < 20_000; i++) {
      const value = { v: randomValue(next, 0) };
      const expected = byLibrary(value);
      if (byStore(value) !== expected)
        expect({ input: value, output: byStore(value) }).toEqual({ input: value, output: expected });
    }
  });

  test('writes exactly what the library writes for values whose keys are already in order, as verify reads custody lines and records back: lone surrogates, undefined, integer-like keys included', () => {
    // A copy with every object's keys inserted in sorted order (V8 still lists integer-like keys
    // such as "9" before "10" first, a trap for an encoder that trusts the order it is given).
    const sorted = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(sorted);
      if (value === null || typeof value !== 'object') return value;
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value).sort()) out[key] = sorted((value as Record<string, unknown>)[key]);
      return out;
    };
    const next = randomSource(8785);
    for (let i = 0; i < 20_000; i++) {
      const value = sorted({ v: randomValue(next, 0) });
      const expected = byLibrary(value);
      if (byStore(value) !== expected)
        expect({ input: value, output: byStore(value) }).toEqual({ input: value, output: expected });
      if (expected.startsWith('throws')) continue;
      const readBack = JSON.parse(expected) as unknown;
      if (canonicalJson(readBack) !== expected) expect(canonicalJson(readBack)).toBe(expected);
    }
  });

  test('writes exactly what the library writes for a capture record and a custody entry as the store builds them', () => {
    const record = {
      recordVersion: 1,
      itemId: '0b6f1c8e-2f44-4c1e-9a57-3e1d2c9f8a10',
      caseId: '5d0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b',
      kind: 'import',
      source: 'صورة القارب.jpg',
      capturedAt: '2026-12-06T08:00:00.123Z',
      timeZone: 'Africa/Tripoli',
      investigator: { id: 'inv-1', name: 'Ana Ruiz Núñez', keyFingerprint: 'ab'.repeat(32) },
      metadata: {
        originalName: 'صورة القارب.jpg',
        originalPath: '/home/ana/Phone/DCIM/صورة القارب.jpg',
        size: 4096,
        modifiedAt: '2026-12-05T21:14:09.000Z',
        mediaType: 'image/jpeg',
        media: {
          gps: { latitude: 32.8872, longitude: 13.1913, altitude: -0.5 },
          make: 'Ｃａｍｅｒａ',
          exposure: 1 / 250,
        },
        note: undefined,
      },
      artifacts: [
        {
          role: 'original',
          name: 'original.jpg',
          mediaType: 'image/jpeg',
          size: 4096,
          sha256: 'cd'.repeat(32),
        },
      ],
    };
    const entry = {
      seq: 20_001,
      time: '2026-12-06T08:00:00.456Z',
      timeZone: 'Africa/Tripoli',
      actor: { investigatorId: 'inv-1', keyFingerprint: 'ab'.repeat(32) },
      action: 'item.import',
      caseId: record.caseId,
      subject: record.itemId,
      details: {
        digest: 'ef'.repeat(32),
        source: record.source,
        artifacts: [{ role: 'original', sha256: 'cd'.repeat(32), size: 4096 }],
      },
      prevHash: '12'.repeat(32),
    };
    expect(canonicalJson(record)).toBe(canonicalize(record));
    expect(canonicalJson(entry)).toBe(canonicalize(entry));
    expect(canonicalJson(entry.details)).toBe(canonicalize(entry.details));
  });

  test('orders keys by UTF-16 code units, as RFC 8785 section 3.2.3 requires', () => {
    const value = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\u{1f600}': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    expect(canonicalJson(value)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","ö":"Latin Small Letter O With Diaeresis","€":"Euro Sign","😀":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  test('leaves what is not plain JSON to the library: the same output for a Date, a toJSON, a sparse array, and the same refusal of NaN, Infinity, a lone surrogate, a cycle', () => {
    const cycle: Record<string, unknown> = { a: 1 };
    cycle.self = cycle;
    const inputs: unknown[] = [
      { at: new Date(Date.UTC(2026, 11, 6, 8, 0, 0, 123)) },
      { custom: { toJSON: () => ({ z: 1, a: [2, '\u00e9'] }) } },
      // biome-ignore lint/suspicious/noSparseArray: the hole is what is tested
      { sparse: [1, , 3] },
      { n: Number.NaN },
      { n: Number.POSITIVE_INFINITY },
      { text: 'half an emoji \ud83d' },
      { '\udc00key': 1 },
      cycle,
      [undefined, () => 1, Symbol('s')],
      { f: () => 1, s: Symbol('s'), u: undefined, ok: true },
    ];
    for (const value of inputs) expect(byStore(value)).toBe(byLibrary(value));
    expect(byStore({ n: Number.NaN })).toBe('throws NaN is not allowed');
  });
});
