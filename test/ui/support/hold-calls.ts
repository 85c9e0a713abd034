import type { Page } from 'playwright-core';

/**
 * A move of the page's clock (`page.clock.fastForward`, the clock installed before the app opened)
 * past the bound after which a dialog's save may go on unseen (SAVE_GOES_ON_AFTER_MS, 10 s, in
 * renderer/src/hooks/use-submit.ts).
 */
export const PAST_THE_SAVE_BOUND = '01:00';

/**
 * Holds every call of an API method until the returned function is called, which lets them go and
 * removes the route once each has passed (removed first, playwright answered them itself and the
 * handler's own continue then failed). The window asks twice in its development build.
 */
export async function holdCalls(page: Page, method: string): Promise<() => Promise<void>> {
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const routed: Promise<void>[] = [];
  const url = `**/api/${method}`;
  await page.route(url, (route) => {
    const passed = held.then(() => route.continue());
    routed.push(passed);
    return passed;
  });
  return async () => {
    release();
    await Promise.all(routed);
    await page.unroute(url);
  };
}

/** Counts the calls of an API method the page sends from now; `stop` ends the count. */
export function countCalls(page: Page, method: string): { count(): number; stop(): void } {
  let count = 0;
  const counted = (request: { url(): string }) => {
    if (request.url().endsWith(`/api/${method}`)) count++;
  };
  page.on('request', counted);
  return { count: () => count, stop: () => page.off('request', counted) };
}
