/**
 * Registers the shell's own methods (shared/shell-api.ts: the live capture browser) on Electron
 * IPC, one channel each, as the API is registered: each handler refuses a sender that is not the
 * app window, parses its input with the method's shared schema before any work, and answers with
 * an `ApiResult` value. No Electron import: the IPC tests run it on plain Node with the fake.
 */
import type { ApiResult } from '../../shared/api.js';
import { describeSchemaError } from '../../shared/schemas.js';
import {
  type LiveShellMethod,
  SHELL_METHODS,
  type ShellMethod,
  type ShellOutputs,
  type ShellParsedInput,
  shellInputSchemas,
} from '../../shared/shell-api.js';
import type { ApiIpcMain } from './ipc-api.js';
import { shellChannel } from './ipc-channels.js';
import type { TrustedSenders } from './trusted-sender.js';

/** The shell's handlers: the parsed input in, the method's output (or a thrown Error) out. */
export type ShellHandlers = {
  readonly [M in ShellMethod]: (input: ShellParsedInput<M>) => Promise<ShellOutputs[M]> | ShellOutputs[M];
};

/** The live browser's handlers (the shell's, but its dialogs). */
export type LiveShellHandlers = Pick<ShellHandlers, LiveShellMethod>;

/** Registers the shell's methods; returns the function that unregisters them. */
export function registerShellIpc(
  ipcMain: ApiIpcMain,
  handlers: ShellHandlers,
  trusted: TrustedSenders,
): () => void {
  for (const method of SHELL_METHODS) {
    ipcMain.handle(shellChannel(method), async (event, input: unknown) => {
      if (!trusted.allows(event)) {
        return refused(`the shell answers only the Custos window; ${method} was refused`);
      }
      return callShell(handlers, method, input);
    });
  }
  return () => {
    for (const method of SHELL_METHODS) ipcMain.removeHandler(shellChannel(method));
  };
}

/** Parses the input with the method's schema, then runs the handler; every outcome is a value. */
export async function callShell(
  handlers: ShellHandlers,
  method: ShellMethod,
  input: unknown,
): Promise<ApiResult<unknown>> {
  const parsed = shellInputSchemas[method].safeParse(input ?? {});
  if (!parsed.success) return refused(`${method}: ${describeSchemaError(parsed.error)}`);
  try {
    const handler = handlers[method] as (input: unknown) => Promise<unknown> | unknown;
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    const kind = error instanceof Error && 'kind' in error ? String(error.kind) : 'failure';
    return { ok: false, error: { kind, message: error instanceof Error ? error.message : String(error) } };
  }
}

function refused(message: string): ApiResult<never> {
  return { ok: false, error: { kind: 'bad-input', message } };
}
