/**
 * Input schemas: every edge (CLI, IPC handler, loopback transport) parses its input with these
 * before any work, so bad input is refused with a clear message and nothing is written.
 */
import { z } from 'zod';
import {
  CASE_CREATE_RULES,
  emptyProblem,
  INVESTIGATOR_PROFILE_RULES,
  notTextProblem,
  patternHolds,
  type TextRule,
  tooLongProblem,
} from './text-rules.js';

/** A zod schema of one text rule, with the rule's own messages (`checkFields` says the same). */
function textSchema(rule: TextRule) {
  const text = z.string({ error: (issue) => notTextProblem(rule, issue.input) }).trim();
  const sized = (rule.mayBeEmpty ? text : text.min(1, emptyProblem(rule))).max(
    rule.max,
    tooLongProblem(rule),
  );
  return rule.pattern ? sized.refine((t) => patternHolds(rule, t), rule.pattern.message) : sized;
}

/** The investigator recorded on every custody entry of this workstation. */
export const investigatorProfileSchema = z.object({
  name: textSchema(INVESTIGATOR_PROFILE_RULES.name),
  agency: textSchema(INVESTIGATOR_PROFILE_RULES.agency).nullish(),
  badge: textSchema(INVESTIGATOR_PROFILE_RULES.badge).nullish(),
});
export type InvestigatorProfile = z.infer<typeof investigatorProfileSchema>;

/** A new case. */
export const caseCreateSchema = z.object({
  number: textSchema(CASE_CREATE_RULES.number),
  title: textSchema(CASE_CREATE_RULES.title),
  description: textSchema(CASE_CREATE_RULES.description).nullish(),
});
export type CaseCreateInput = z.infer<typeof caseCreateSchema>;

/** A persona name: safe as a folder name on every system (letters, digits, dot, dash, underscore). */
export const PERSONA_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The message for a persona name that does not match `PERSONA_NAME_PATTERN`. */
export function personaNameProblem(name: string): string {
  return `${JSON.stringify(name)} is not a valid persona name; use up to 64 letters, digits, dots, dashes or underscores, starting with a letter or digit, e.g. fb-undercover-1`;
}

/** A persona's name, as a form or the command line gives it. */
export const personaNameSchema = z
  .string()
  .trim()
  .min(1, 'persona name must not be empty')
  .superRefine((name, context) => {
    if (!PERSONA_NAME_PATTERN.test(name))
      context.addIssue({ code: 'custom', message: personaNameProblem(name) });
  });

/** Turns a schema failure into one line a person can act on. */
export function describeSchemaError(error: z.ZodError): string {
  return error.issues.map((issue) => issue.message).join('; ');
}
