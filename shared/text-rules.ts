/**
 * The rules of the store's text inputs (an investigator, a case, a note, a tag), declared once
 * without zod: `shared/schemas.ts` builds the API's zod schemas from them, and the evidence store
 * checks its own inputs with `checkFields`, so a command that reads or lists never loads zod (a
 * 755 KB chunk of the CLI bundle) and both say the same words.
 */

/** A text field: trimmed, at most `max` characters, not empty unless `mayBeEmpty`, and `pattern`. */
export interface TextRule {
  /** How a message names the field ("case title"). */
  readonly what: string;
  readonly max: number;
  readonly mayBeEmpty?: boolean;
  readonly pattern?: { readonly regex: RegExp; readonly message: string };
  /** Absent or null is allowed (and kept as given). */
  readonly optional?: boolean;
}

/** The fields of one input and their rules. */
export type FieldRules = Readonly<Record<string, TextRule>>;

/** The investigator recorded on every custody entry of this workstation. */
export const INVESTIGATOR_PROFILE_RULES = {
  name: { what: 'investigator name', max: 200 },
  agency: { what: 'agency', max: 200, optional: true },
  badge: { what: 'badge', max: 100, optional: true },
} as const satisfies FieldRules;

/** A new case. */
export const CASE_CREATE_RULES = {
  // Slashes are how many offices write a reference (BE/2026/0457); a file name made from a
  // number goes through caseFileStem (shared/file-names.ts).
  number: {
    what: 'case number',
    max: 100,
    pattern: {
      regex: /^[^\s\\]+$/,
      message:
        'case number must not contain spaces or backslashes; write it as your office does, e.g. BE/2026/0457 or BE-2026-0457',
    },
  },
  title: { what: 'case title', max: 500 },
  description: { what: 'case description', max: 10_000, mayBeEmpty: true, optional: true },
} as const satisfies FieldRules;

/** A note on an item. */
export const NOTE_RULES = {
  itemId: { what: 'item id', max: 100 },
  text: { what: 'note', max: 100_000 },
} as const satisfies FieldRules;

/** A tag on an item: a short label without line breaks. */
export const TAG_RULES = {
  itemId: { what: 'item id', max: 100 },
  tag: { what: 'tag', max: 100, pattern: { regex: /^[^\r\n\t]+$/, message: 'tag must be a single line' } },
} as const satisfies FieldRules;

/** What a value that is not text gets (zod's schemas say the same). */
export function notTextProblem(rule: TextRule, value: unknown): string {
  return value === undefined ? `${rule.what} is missing` : `${rule.what} must be text`;
}

/** The message for an empty field. */
export function emptyProblem(rule: TextRule): string {
  return `${rule.what} must not be empty`;
}

/** The message for a field longer than its rule allows. */
export function tooLongProblem(rule: TextRule): string {
  return `${rule.what} must be at most ${rule.max} characters`;
}

/**
 * Whether `text` (trimmed) is in the form the rule's pattern asks for. An empty text that may not
 * be empty has only that wrong with it: "must not be empty" says all ("tag must be a single line"
 * beside it would name a problem it does not have).
 */
export function patternHolds(rule: TextRule, text: string): boolean {
  return !rule.pattern || (text === '' && !rule.mayBeEmpty) || rule.pattern.regex.test(text);
}

/** The input a set of rules accepts: each field trimmed; optional ones may be null or absent. */
export type CheckedFields<R extends FieldRules> = {
  -readonly [K in keyof R]: R[K] extends { readonly optional: true } ? string | null | undefined : string;
};

/** The result of checking an input: its trimmed fields, or every problem in one line. */
export type FieldsCheck<R extends FieldRules> =
  | { readonly ok: true; readonly value: CheckedFields<R> }
  | { readonly ok: false; readonly message: string };

/**
 * Checks `input` against `rules` as the zod schema built from them does: every field in order,
 * every problem of a field (empty, too long, pattern, see `patternHolds`) named, joined with "; " as
 * `describeSchemaError` joins zod's; fields the rules do not name are dropped.
 */
export function checkFields<R extends FieldRules>(input: unknown, rules: R): FieldsCheck<R> {
  const source = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const value: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [key, rule] of Object.entries(rules)) {
    const given = source[key];
    if (rule.optional && (given === undefined || given === null)) {
      if (key in source) value[key] = given;
      continue;
    }
    if (typeof given !== 'string') {
      problems.push(notTextProblem(rule, given));
      continue;
    }
    const text = given.trim();
    if (!rule.mayBeEmpty && text.length < 1) problems.push(emptyProblem(rule));
    if (text.length > rule.max) problems.push(tooLongProblem(rule));
    if (rule.pattern && !patternHolds(rule, text)) problems.push(rule.pattern.message);
    value[key] = text;
  }
  return problems.length > 0
    ? { ok: false, message: problems.join('; ') }
    : { ok: true, value: value as CheckedFields<R> };
}
