/**
 * The renderer's only way out: `window.custos` (the API, bound by the Electron preload or by the
 * browser harness) and `window.custosShell` (what only the shell can do, such as giving a dropped
 * file's path).
 */
import type {
  ApiFailure,
  ApiInput,
  ApiMethod,
  ApiOutputs,
  ApiResult,
  CallOptions,
  CustosApi,
} from '../../../shared/api.js';
import type {
  LiveShell,
  LiveShellMethod,
  CustosShell as ShellBridge,
  ShellInput,
  ShellOutputs,
} from '../../../shared/shell-api.js';
import { windowSentence } from '../i18n/i18n.js';

/** What the shell offers besides the API (shared/shell-api.ts), with the page's own File type. */
export type CustosShell = ShellBridge<File>;

declare global {
  interface Window {
    custos?: CustosApi;
    custosShell?: CustosShell;
  }
}

/**
 * A failed call, with the service's message meant for a person, as a sentence (`windowSentence`:
 * the services word it for the command line).
 */
export class ApiError extends Error {
  constructor(
    readonly kind: string,
    message: string,
    /** A verification's refusal: what it said before the list, and each problem apart. */
    readonly found?: ApiFailure['found'],
    /** What a check found, without the message's advice. */
    readonly finding?: ApiFailure['finding'],
  ) {
    super(windowSentence(message));
    this.name = 'ApiError';
  }
}

/** The API; a clear error when the page was opened without a shell or harness. */
export function api(): CustosApi {
  if (!window.custos) throw new ApiError('failure', 'this page was opened without Custos behind it');
  return window.custos;
}

/** Calls a method and returns its value, or throws an ApiError carrying the service's message. */
export async function call<M extends ApiMethod>(
  method: M,
  input: ApiInput<M>,
  options?: CallOptions,
): Promise<ApiOutputs[M]> {
  const fn = api()[method] as unknown as (
    input: ApiInput<M>,
    options?: CallOptions,
  ) => Promise<ApiResult<ApiOutputs[M]>>;
  const result = await fn(input, options);
  return unwrap(result);
}

/** The path of a dropped or chosen file, through the shell. */
export async function pathForFile(file: File): Promise<string> {
  const shell = window.custosShell;
  if (!shell?.pathForFile) throw new ApiError('failure', 'this window cannot read dropped files');
  return shell.pathForFile(file);
}

/** The live capture browser, or null where there is none (the browser harness). */
export function liveShell(): LiveShell | null {
  return window.custosShell?.live ?? null;
}

/** Calls a live-browser method and returns its value, or throws an ApiError with the shell's message. */
export async function callLive<M extends LiveShellMethod>(
  method: M,
  input: ShellInput<M>,
): Promise<ShellOutputs[M]> {
  const live = liveShell();
  if (!live) throw new ApiError('failure', 'the live browser exists only in the desktop app');
  const fn = live[method] as unknown as (input: ShellInput<M>) => Promise<ApiResult<ShellOutputs[M]>>;
  return unwrap(await fn(input));
}

/** Whether the shell has a save dialog (the desktop app, and the harness's stand-in). */
export function canChooseSavePath(): boolean {
  return typeof window.custosShell?.chooseSavePath === 'function';
}

/** Asks the shell's save dialog where to write a file; null when the investigator cancelled. */
export async function chooseSavePath(input: ShellInput<'chooseSavePath'>): Promise<string | null> {
  const choose = window.custosShell?.chooseSavePath;
  if (!choose) throw new ApiError('failure', 'this window has no save dialog; type the path instead');
  return unwrap(await choose(input));
}

function unwrap<T>(result: ApiResult<T>): T {
  if (!result.ok)
    throw new ApiError(result.error.kind, result.error.message, result.error.found, result.error.finding);
  return result.value;
}
