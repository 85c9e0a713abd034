/**
 * Input schemas: every edge (CLI, IPC handler, loopback transport) parses its input with these
 * before any work, so bad input is refused with a clear message and nothing is written.
 */
import { z } from 'zod';

const trimmed = (what: string, max: number) =>
  z.string().trim().min(1, `${what} must not be empty`).max(max, `${what} must be at most ${max} characters`);

/** The investigator recorded on every custody entry of this workstation. */
export const investigatorProfileSchema = z.object({
  name: trimmed('investigator name', 200),
  agency: trimmed('agency', 200).nullish(),
  badge: trimmed('badge', 100).nullish(),
});
export type InvestigatorProfile = z.infer<typeof investigatorProfileSchema>;

/** A new case. */
export const caseCreateSchema = z.object({
  // Slashes are how many offices write a reference (BE/2026/0457); a file name made from a
  // number goes through caseFileStem (shared/file-names.ts).
  number: trimmed('case number', 100).regex(
    /^[^\s\\]+$/,
    'case number must not contain spaces or backslashes; write it as your office does, e.g. BE/2026/0457 or BE-2026-0457',
  ),
  title: trimmed('case title', 500),
  description: z.string().trim().max(10_000).nullish(),
});
export type CaseCreateInput = z.infer<typeof caseCreateSchema>;

/** A note on an item. */
export const noteSchema = z.object({
  itemId: trimmed('item id', 100),
  text: trimmed('note', 100_000),
});

/** A tag on an item: a short label without line breaks. */
export const tagSchema = z.object({
  itemId: trimmed('item id', 100),
  tag: trimmed('tag', 100).regex(/^[^\r\n\t]+$/, 'tag must be a single line'),
});

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
