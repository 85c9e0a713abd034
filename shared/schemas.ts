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
  number: trimmed('case number', 100).regex(/^[^\s/\\]+$/, 'case number must not contain spaces or slashes'),
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

/** Turns a schema failure into one line a person can act on. */
export function describeSchemaError(error: z.ZodError): string {
  return error.issues.map((issue) => issue.message).join('; ');
}
