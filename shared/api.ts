/**
 * The one API the UI calls, declared once. Electron IPC (the app) and the loopback transport
 * (the browser harness) both carry exactly these methods; each handler parses its input with the
 * method's schema before any work, and results cross as `ApiResult` values, never as thrown errors.
 */
import { z } from 'zod';
import type { AuditReport, Case, Investigator, ItemSummary, LedgerEntry } from './domain.js';
import { caseCreateSchema, investigatorProfileSchema } from './schemas.js';

const caseRef = z.object({ caseRef: z.string().trim().min(1, 'choose a case') });
const itemRef = z.object({ itemId: z.string().trim().min(1, 'choose an item') });

/** Input schema of every API method. */
export const apiInputSchemas = {
  getProfile: z.object({}),
  initProfile: investigatorProfileSchema,
  listCases: z.object({}),
  createCase: caseCreateSchema,
  getCase: caseRef,
  listItems: caseRef,
  getItem: itemRef,
  addNote: itemRef.extend({ text: z.string() }),
  addTag: itemRef.extend({ tag: z.string() }),
  getLedger: z.object({ caseRef: z.string().trim().min(1).optional() }),
  auditStore: z.object({}),
} as const;

/** Output type of every API method. */
export interface ApiOutputs {
  getProfile: Investigator | null;
  initProfile: Investigator;
  listCases: Case[];
  createCase: Case;
  getCase: Case;
  listItems: ItemSummary[];
  getItem: ItemSummary;
  addNote: LedgerEntry;
  addTag: LedgerEntry;
  getLedger: LedgerEntry[];
  auditStore: AuditReport;
}

/** The names of the API's methods. */
export type ApiMethod = keyof typeof apiInputSchemas & keyof ApiOutputs;

/** What a caller passes to a method. */
export type ApiInput<M extends ApiMethod> = z.input<(typeof apiInputSchemas)[M]>;

/** A method's result as it crosses a transport: a value, or an error a person can act on. */
export type ApiResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: { readonly kind: string; readonly message: string } };

/** `window.custos` as the renderer sees it: one async function per method. */
export type CustosApi = { [M in ApiMethod]: (input: ApiInput<M>) => Promise<ApiResult<ApiOutputs[M]>> };

/** Every method name, for transports that register them all. */
export const API_METHODS = Object.keys(apiInputSchemas) as ApiMethod[];
