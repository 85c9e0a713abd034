import { describe, expect, it } from 'vitest';
import { caseCreateSchema, describeSchemaError, investigatorProfileSchema } from '../../shared/schemas.js';
import {
  CASE_CREATE_RULES,
  checkFields,
  type FieldRules,
  INVESTIGATOR_PROFILE_RULES,
  TAG_RULES,
} from '../../shared/text-rules.js';

/** What zod's schema makes of an input, in the form `checkFields` answers. */
function zodCheck(schema: typeof caseCreateSchema | typeof investigatorProfileSchema, input: unknown) {
  const parsed = schema.safeParse(input);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, message: describeSchemaError(parsed.error) };
}

const cases: readonly unknown[] = [
  { number: ' BE/2026/0457 ', title: ' Boats ', description: '  crossings  ' },
  { number: 'BE-1', title: 'Boats', description: null, extra: 'dropped' },
  { number: 'BE-1', title: 'Boats', description: '   ' },
  { number: '', title: '  ' },
  { number: 'a b', title: 'x'.repeat(501) },
  { number: 'C:\\cases', title: 'Boats', description: 'x'.repeat(10_001) },
  { number: 'x'.repeat(101), title: 'Boats' },
  { number: 5, title: null },
  { title: 'Boats' },
];

const profiles: readonly unknown[] = [
  { name: ' Ana Ruiz ', agency: ' Policía ', badge: null },
  { name: 'Ana Ruiz' },
  { name: ' ', agency: '', badge: 'x'.repeat(101) },
  { name: 'x'.repeat(201), agency: 7 },
];

describe("the store's text inputs without zod", () => {
  it('accept and refuse exactly what the API schemas do, with the same words', () => {
    for (const input of cases)
      expect(checkFields(input, CASE_CREATE_RULES), JSON.stringify(input)).toEqual(
        zodCheck(caseCreateSchema, input),
      );
    for (const input of profiles)
      expect(checkFields(input, INVESTIGATOR_PROFILE_RULES), JSON.stringify(input)).toEqual(
        zodCheck(investigatorProfileSchema, input),
      );
  });

  it('name every problem of a bad case, so the investigator fixes them all at once, and only those it has', () => {
    expect(checkFields({ number: '', title: ' ' }, CASE_CREATE_RULES)).toEqual({
      ok: false,
      message: 'case number must not be empty; case title must not be empty',
    });
    expect(checkFields({ title: 'Boats' }, CASE_CREATE_RULES)).toEqual({
      ok: false,
      message: 'case number is missing',
    });
  });

  it('refuse a tag of more than one line', () => {
    const rules: FieldRules = TAG_RULES;
    // An empty tag is empty, not "not a single line" too.
    expect(checkFields({ itemId: 'i1', tag: ' ' }, rules)).toEqual({
      ok: false,
      message: 'tag must not be empty',
    });
    expect(checkFields({ itemId: 'i1', tag: 'smuggler\nboat' }, rules)).toEqual({
      ok: false,
      message: 'tag must be a single line',
    });
    expect(checkFields({ itemId: ' i1 ', tag: ' boat ' }, rules)).toEqual({
      ok: true,
      value: { itemId: 'i1', tag: 'boat' },
    });
  });
});
