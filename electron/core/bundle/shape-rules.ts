/**
 * The shapes of a bundle's JSON files (manifest.json, the capture records in it,
 * timestamps/index.json), declared once without zod: `checkShape` checks a parsed value against a
 * shape on verify's path, so that `custos verify` never loads zod (a 755 KB chunk of the CLI bundle
 * whose schemas compile on first use), and `zodSchemaOf` (shape-schema.ts) builds the zod schema
 * of the same shape for the code that keeps zod. `checkShape` answers as that schema's `safeParse`
 * does, word for word: the first problem zod would list (its path and message), or the value zod
 * would give (the declared fields in declared order, unknown fields dropped or, for a loose object,
 * kept after them; never a `__proto__` key), which is the parsed value itself, not a copy, where
 * it already has that form. A test holds the two to it over many hostile inputs. Only for values
 * from `JSON.parse` (no symbols, getters or class instances), which the caller owns.
 */

/** Marks the value type a shape accepts (never present at run time). */
declare const VALUE: unique symbol;

/** A text field: at least `min` characters, matching `pattern`, then passing `refine`. */
interface TextNode {
  readonly kind: 'text';
  readonly min?: number;
  readonly pattern?: { readonly regex: RegExp; readonly message: string };
  readonly refine?: { readonly test: (text: string) => boolean; readonly message: string };
}
/** A safe integer, with an optional lower bound: 0 allowed (`nonnegative`) or not (`positive`). */
interface IntNode {
  readonly kind: 'int';
  readonly sign?: 'nonnegative' | 'positive';
}
/** Exactly one of `values`. */
interface OneOfNode {
  readonly kind: 'one-of';
  readonly values: readonly (string | number)[];
}
/** An object with these fields; a loose one keeps the fields it does not name. */
interface ObjectNode {
  readonly kind: 'object';
  readonly fields: Readonly<Record<string, Shape<unknown>>>;
  /** `fields` as a list, made once: the walk visits them for every object of a large manifest. */
  readonly entries: readonly (readonly [string, Shape<unknown>])[];
  readonly loose: boolean;
}
/** An array of one shape. */
interface ListNode {
  readonly kind: 'list';
  readonly of: Shape<unknown>;
}
/** An object of text keys and any values. */
interface RecordNode {
  readonly kind: 'record';
}

/** How a shape is written down, whatever value it accepts. */
export type ShapeNode = (TextNode | IntNode | OneOfNode | ObjectNode | ListNode | RecordNode) & {
  /** null is accepted too. */
  readonly nullable?: boolean;
  /** The field may be absent (then it stays absent). */
  readonly optional?: boolean;
};

/** A shape accepting values of type T. */
export type Shape<T> = ShapeNode & { readonly [VALUE]?: T };
/** A shape whose field may be absent. */
type OptionalShape<T> = Shape<T> & { readonly optional: true };
/** The values a shape accepts. */
export type ShapeValue<S> = S extends Shape<infer T> ? T : never;

type Fields = Readonly<Record<string, Shape<unknown>>>;
type Flat<T> = { [K in keyof T]: T[K] } & {};
/** The object a set of fields describes: optional fields may be absent. */
type FieldsValue<F extends Fields> = Flat<
  { -readonly [K in keyof F as F[K] extends OptionalShape<unknown> ? never : K]: ShapeValue<F[K]> } & {
    -readonly [K in keyof F as F[K] extends OptionalShape<unknown> ? K : never]?: ShapeValue<F[K]>;
  }
>;

/** Text of at least `min` characters, matching `pattern` (its message if not), then `refine`. */
export function text(rules: Omit<TextNode, 'kind'> = {}): Shape<string> {
  return { kind: 'text', ...rules };
}
/** A safe integer; `sign` bounds it below. */
export function int(sign?: IntNode['sign']): Shape<number> {
  return sign ? { kind: 'int', sign } : { kind: 'int' };
}
/** Exactly one of `values`. */
export function oneOf<const V extends readonly (string | number)[]>(values: V): Shape<V[number]> {
  return { kind: 'one-of', values };
}
/** An object with `fields`; others are dropped. */
export function object<const F extends Fields>(fields: F): Shape<FieldsValue<F>> {
  return { kind: 'object', fields, entries: Object.entries(fields), loose: false };
}
/** An object with `fields`; others are kept as they are. */
export function looseObject<const F extends Fields>(
  fields: F,
): Shape<FieldsValue<F> & { [key: string]: unknown }> {
  return { kind: 'object', fields, entries: Object.entries(fields), loose: true };
}
/** An array of `of`. */
export function list<T>(of: Shape<T>): Shape<T[]> {
  return { kind: 'list', of };
}
/** An object of text keys and any values. */
export function record(): Shape<Record<string, unknown>> {
  return { kind: 'record' };
}
/** `shape`, or null. */
export function nullable<T>(shape: Shape<T>): Shape<T | null> {
  return { ...shape, nullable: true } as Shape<T | null>;
}
/** `shape`, or the field absent. */
export function optional<T>(shape: Shape<T>): OptionalShape<T> {
  return { ...shape, optional: true } as OptionalShape<T>;
}

/** The first problem with a value: where (keys and indexes from the top) and what, in zod's words. */
export interface ShapeProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** A value checked against a shape: what it gives, or its first problem. */
export type ShapeCheck<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problem: ShapeProblem };

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** The type zod names for a value it did not expect ("received …"). */
function receivedName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return typeof value;
}

/** zod's message for a value of the wrong type. */
function wrongType(expected: string, value: unknown): string {
  return `Invalid input: expected ${expected}, received ${receivedName(value)}`;
}

/** zod's way of quoting a literal value in a message. */
function quoted(value: string | number): string {
  return typeof value === 'string' ? `"${value}"` : `${value}`;
}

/** A plain object (not null, not an array), as zod's object and record accept. */
function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Thrown inside the walk at the first problem (caught by `checkShape`; never escapes). */
class FirstProblem {
  constructor(
    readonly at: readonly (string | number)[],
    readonly message: string,
  ) {}
}

/** Walks a value and its shape together; `path` is where it is, kept as a stack. */
class ShapeWalk {
  private readonly path: (string | number)[] = [];

  /** The value `shape` gives for `value`, or throws its first problem. */
  value(shape: ShapeNode, value: unknown): unknown {
    if (value === null && shape.nullable) return null;
    switch (shape.kind) {
      case 'text':
        return this.text(shape, value);
      case 'int':
        return this.int(shape, value);
      case 'one-of':
        if (!shape.values.includes(value as string | number))
          this.fail(
            shape.values.length === 1
              ? `Invalid input: expected ${quoted(shape.values[0]!)}`
              : `Invalid option: expected one of ${shape.values.map(quoted).join('|')}`,
          );
        return value;
      case 'object':
        return this.object(shape, value);
      case 'list':
        return this.list(shape, value);
      case 'record':
        return this.record(value);
    }
  }

  private fail(message: string): never {
    throw new FirstProblem([...this.path], message);
  }

  private text(shape: TextNode, value: unknown): string {
    if (typeof value !== 'string') this.fail(wrongType('string', value));
    if (shape.min !== undefined && value.length < shape.min)
      this.fail(`Too small: expected string to have >=${shape.min} characters`);
    if (shape.pattern && !shape.pattern.regex.test(value)) this.fail(shape.pattern.message);
    if (shape.refine && !shape.refine.test(value)) this.fail(shape.refine.message);
    return value;
  }

  private int(shape: IntNode, value: unknown): number {
    if (typeof value !== 'number' || !Number.isFinite(value)) this.fail(wrongType('number', value));
    if (!Number.isInteger(value)) this.fail('Invalid input: expected int, received number');
    if (value > MAX_SAFE) this.fail(`Too big: expected int to be <=${MAX_SAFE}`);
    if (value < -MAX_SAFE) this.fail(`Too small: expected int to be >=-${MAX_SAFE}`);
    if (shape.sign === 'nonnegative' && value < 0) this.fail('Too small: expected number to be >=0');
    if (shape.sign === 'positive' && value <= 0) this.fail('Too small: expected number to be >0');
    return value;
  }

  /**
   * An object as zod gives it: the declared fields present, in declared order, then (loose) the
   * others but `__proto__`. A parsed object that already is exactly that is given back as it is:
   * the same keys in the same order and values, so no copy of a large manifest is made.
   */
  private object(shape: ObjectNode, value: unknown): Record<string, unknown> {
    if (!isObject(value)) this.fail(wrongType('object', value));
    const { entries } = shape;
    const keys = Object.keys(value);
    const checked: unknown[] = [];
    const present: string[] = [];
    let unchanged = true;
    for (let i = 0; i < entries.length; i++) {
      const [key, field] = entries[i]!;
      const given = value[key];
      if (given === undefined && field.optional) continue;
      this.path.push(key);
      const result = this.value(field, given);
      this.path.pop();
      if (result !== given || keys[present.length] !== key) unchanged = false;
      checked.push(result);
      present.push(key);
    }
    // What follows the declared fields: nothing in a strict object; in a loose one, no __proto__.
    if (unchanged && (shape.loose ? !Object.hasOwn(value, '__proto__') : keys.length === present.length))
      return value;
    const out: Record<string, unknown> = {};
    for (let i = 0; i < present.length; i++) out[present[i]!] = checked[i];
    if (shape.loose)
      for (const key of keys)
        if (!Object.hasOwn(shape.fields, key) && key !== '__proto__') out[key] = value[key];
    return out;
  }

  /** An array of checked elements: the parsed array itself when every element is given back as it is. */
  private list(shape: ListNode, value: unknown): unknown[] {
    if (!Array.isArray(value)) this.fail(wrongType('array', value));
    let out: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      this.path.push(i);
      const result = this.value(shape.of, value[i]);
      this.path.pop();
      if (result !== value[i] && out === null) out = value.slice(0, i);
      out?.push(result);
    }
    return out ?? value;
  }

  /** A record without a `__proto__` key (zod drops it): the parsed object itself when it has none. */
  private record(value: unknown): Record<string, unknown> {
    if (!isObject(value)) this.fail(wrongType('record', value));
    if (!Object.hasOwn(value, '__proto__')) return value;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) if (key !== '__proto__') out[key] = value[key];
    return out;
  }
}

/** Checks a parsed JSON value against `shape`: the value zod's schema of it would give, or its first problem. */
export function checkShape<T>(shape: Shape<T>, value: unknown): ShapeCheck<T> {
  try {
    return { ok: true, value: new ShapeWalk().value(shape, value) as T };
  } catch (error) {
    if (!(error instanceof FirstProblem)) throw error;
    return { ok: false, problem: { path: error.at, message: error.message } };
  }
}

/**
 * Where the first own `__proto__` key of a parsed JSON value is (the path of the object holding
 * it), or null. JSON readers disagree on such a key: `JSON.parse` and jq keep it, zod and
 * `checkShape` drop it from the objects they give, so a digest computed after the check would not
 * be the digest of what jq reads; verify refuses it instead. Skipped, without a walk, for JSON
 * text that holds neither `__proto__` nor a `\u` escape, which no such key can be spelled without.
 */
export function protoKeyPath(value: unknown, jsonText: string): (string | number)[] | null {
  if (!jsonText.includes('__proto__') && !jsonText.includes('\\u')) return null;
  // An explicit stack, not recursion: a hostile value may nest thousands deep. Each node links to
  // its parent, so a path is made only for the object found. Only objects and arrays get a node:
  // a node for every string and number cost a manifest's thousands of values one object each.
  type Node = { readonly value: object; readonly key: string | number; readonly parent: Node | null };
  if (typeof value !== 'object' || value === null) return null;
  const stack: Node[] = [{ value, key: '', parent: null }];
  const push = (child: unknown, key: string | number, parent: Node) => {
    if (typeof child === 'object' && child !== null) stack.push({ value: child, key, parent });
  };
  for (let node = stack.pop(); node; node = stack.pop()) {
    const at = node.value;
    if (Array.isArray(at)) {
      for (let i = at.length - 1; i >= 0; i--) push(at[i], i, node);
      continue;
    }
    if (Object.hasOwn(at, '__proto__')) {
      const path: (string | number)[] = [];
      for (let up: Node | null = node; up?.parent; up = up.parent) path.unshift(up.key);
      return path;
    }
    const keys = Object.keys(at);
    for (let i = keys.length - 1; i >= 0; i--)
      push((at as Record<string, unknown>)[keys[i]!], keys[i]!, node);
  }
  return null;
}

/** A problem as verify reports it: its path, dotted, then its message. */
export function describeShapeProblem(problem: ShapeProblem): string {
  return `${problem.path.join('.')}: ${problem.message}`;
}
