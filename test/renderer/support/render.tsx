import { act, type ReactNode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { vi } from 'vitest';
import type { ApiResult, CallOptions, CustosApi } from '../../../shared/api.js';

// React's act() warns unless the environment says it is a test.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

/** A component mounted into the test document. */
export interface Mounted {
  readonly container: HTMLElement;
  unmount(): void;
}

/** Renders `node` into a fresh container and flushes effects. */
export async function render(node: ReactNode): Promise<Mounted> {
  const container = document.createElement('div');
  document.body.append(container);
  let root: Root | undefined;
  await act(async () => {
    root = createRoot(container);
    root.render(node);
  });
  await nextFrame();
  return {
    container,
    unmount: () => {
      act(() => root?.unmount());
      container.remove();
    },
  };
}

/** Lets pending promises and timers run inside act (answers from the fake API, debounces), then a frame. */
export async function settle(ms = 0): Promise<void> {
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, ms));
  });
  await nextFrame();
}

/** Lets a frame pass inside act: a live region put on the page empty gets its text (`LiveRegion`). */
async function nextFrame(): Promise<void> {
  // Under fake timers no frame comes unless the test moves the clock on.
  if (vi.isFakeTimers()) return;
  await act(async () => {
    await new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)));
  });
}

/** Sets an input's value the way React notices (through the native setter), then fires input. */
export async function typeInto(input: HTMLInputElement | HTMLTextAreaElement, value: string): Promise<void> {
  const proto =
    input instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  await act(async () => {
    Object.getOwnPropertyDescriptor(proto, 'value')?.set?.call(input, value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

/** A call the fake API received. */
export interface RecordedCall {
  readonly method: string;
  readonly input: unknown;
}

/**
 * Binds `window.custos` to a fake whose methods answer from `answers` (a value, or a function of
 * the input and the call's options); every call is recorded. Methods not given answer with a failure naming them.
 */
export function fakeApi(answers: Partial<Record<keyof CustosApi, unknown>>): RecordedCall[] {
  const calls: RecordedCall[] = [];
  window.custos = new Proxy({} as CustosApi, {
    get: (_target, method: string) => async (input: unknown, options?: CallOptions) => {
      calls.push({ method, input });
      const answer = answers[method as keyof CustosApi];
      if (answer === undefined) {
        return {
          ok: false,
          error: { kind: 'failure', message: `no fake answer for ${method}` },
        } satisfies ApiResult<never>;
      }
      const value =
        typeof answer === 'function'
          ? await (answer as (i: unknown, o?: CallOptions) => unknown)(input, options)
          : answer;
      if (value instanceof Error) return { ok: false, error: { kind: 'bad-input', message: value.message } };
      return { ok: true, value };
    },
  });
  return calls;
}
