import { hash } from 'node:crypto';
import canonicalize from 'canonicalize';

/**
 * RFC 8785 (JCS) canonical JSON of a value: the exact bytes that are hashed and signed. The
 * values the store encodes (capture records, custody entries: plain objects, arrays, strings,
 * finite numbers, booleans, null) take a direct path, byte for byte what the `canonicalize`
 * library writes (test/core/store/canonical-json.test.ts compares them on many inputs) at a third
 * of its cost, which an import of thousands of files pays two or three times per item; anything
 * else (a Date, a class instance, a sparse array, a lone surrogate, NaN, a cycle…) goes to the
 * library itself, so that its output and its errors stay exactly the library's.
 */
export function canonicalJson(value: unknown): string {
  // What verify encodes was parsed from canonical text (custody lines, records): its keys are in
  // JCS order already, and JSON.stringify then writes JCS's bytes natively, with no string built
  // per key and value here. Whatever the walk does not vouch for takes the paths below.
  if (isSortedPlain(value, 0)) return JSON.stringify(value);
  try {
    return encodePlain(value, 0);
  } catch (error) {
    if (error !== NOT_PLAIN) throw error;
  }
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value cannot be encoded as canonical JSON');
  return text;
}

/** SHA-256 (hex) of a value's canonical JSON. */
export function canonicalDigest(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}

/**
 * SHA-256 (lowercase hex) of a string's UTF-8 bytes or of a buffer. One-shot (`crypto.hash`): no
 * Hash object per call, which verify makes thousands of times (each item's record, each custody body).
 */
export function sha256Hex(data: string | Uint8Array): string {
  return hash('sha256', data, 'hex');
}

/** Thrown by encodePlain for a value it leaves to the library. */
const NOT_PLAIN = Symbol('not plain JSON');

/** Deeper than this is left to the library (which names a cycle as such). */
const MAX_PLAIN_DEPTH = 200;

/** A string with ES2024's isWellFormed (Node 20, Electron), beyond the ES2023 lib the project types against. */
type CheckableText = string & { isWellFormed(): boolean };

/**
 * Whether text holds a UTF-16 surrogate without its pair, which JCS refuses (the library throws);
 * the engine's own check, several times quicker than a Unicode regular expression.
 */
function hasLoneSurrogate(text: string): boolean {
  return !(text as CheckableText).isWellFormed();
}

/**
 * Whether JSON.stringify writes `value` exactly as encodePlain would: plain data (what encodePlain
 * takes without the library) whose every object lists its own keys in JCS order (UTF-16 code
 * units). Stops at the first key out of order, so that data built in another order costs little
 * more than before.
 */
function isSortedPlain(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case 'string':
      return !hasLoneSurrogate(value);
    case 'number':
      return Number.isFinite(value);
    case 'boolean':
      return true;
    case 'object': {
      if (value === null) return true;
      if (depth > MAX_PLAIN_DEPTH || typeof (value as { toJSON?: unknown }).toJSON === 'function')
        return false;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const item = value[i];
          // undefined is written null by both; a hole is the library's to judge.
          if (item === undefined ? !(i in value) : !isSortedPlain(item, depth + 1)) return false;
        }
        return true;
      }
      const prototype = Object.getPrototypeOf(value);
      if (prototype !== Object.prototype && prototype !== null) return false;
      const record = value as Record<string, unknown>;
      let previous: string | undefined;
      for (const key of Object.keys(record)) {
        if (previous !== undefined && !(previous < key)) return false;
        previous = key;
        const item = record[key];
        // An undefined value is left out by both; a key must be whole UTF-16 for the library.
        if (hasLoneSurrogate(key) || (item !== undefined && !isSortedPlain(item, depth + 1))) return false;
      }
      return true;
    }
    default:
      return false; // a function, a symbol or a bigint (undefined only inside, where both skip it)
  }
}

/** The canonical JSON of plain data, or NOT_PLAIN thrown for anything the library must judge. */
function encodePlain(value: unknown, depth: number): string {
  switch (typeof value) {
    case 'string':
      if (hasLoneSurrogate(value)) throw NOT_PLAIN;
      return JSON.stringify(value);
    case 'number':
      // ECMAScript's Number-to-String, which JCS adopts; -0 is written 0.
      if (!Number.isFinite(value)) throw NOT_PLAIN;
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      if (depth > MAX_PLAIN_DEPTH || typeof (value as { toJSON?: unknown }).toJSON === 'function')
        throw NOT_PLAIN;
      return Array.isArray(value) ? encodeArray(value, depth) : encodeObject(value, depth);
    default:
      throw NOT_PLAIN; // undefined, a function, a symbol, a bigint
  }
}

function encodeArray(array: readonly unknown[], depth: number): string {
  let out = '[';
  for (let i = 0; i < array.length; i++) {
    const item = array[i];
    if (i > 0) out += ',';
    if (item === undefined) {
      if (!(i in array)) throw NOT_PLAIN; // a hole, which the library writes as nothing
      out += 'null';
    } else out += encodePlain(item, depth + 1);
  }
  return `${out}]`;
}

function encodeObject(object: object, depth: number): string {
  const prototype = Object.getPrototypeOf(object);
  if (prototype !== Object.prototype && prototype !== null) throw NOT_PLAIN;
  const record = object as Record<string, unknown>;
  // Sorted by UTF-16 code units, as JCS requires: Array.prototype.sort's default order.
  const keys = Object.keys(record).sort();
  let out = '{';
  for (const key of keys) {
    const item = record[key];
    if (item === undefined) continue;
    if (hasLoneSurrogate(key)) throw NOT_PLAIN;
    if (out.length > 1) out += ',';
    out += `${JSON.stringify(key)}:${encodePlain(item, depth + 1)}`;
  }
  return `${out}}`;
}
