import type { Page } from 'playwright-core';

/** The parts of the focused element read in the page. */
interface FocusedNode {
  readonly tagName: string;
  getAttribute(name: string): string | null;
  readonly textContent: string | null;
}

/**
 * Names the element that has the keyboard's focus, as `tag "label"` (the aria-label, else its
 * text, cut to 60 characters), or `body` when nothing has it. Polled against the expected name, a
 * wait that fails says where the focus went instead, not only that it is not where it should be.
 */
export function focusedElement(page: Page): Promise<string> {
  return page.evaluate(() => {
    const element = (globalThis as unknown as { document: { activeElement: FocusedNode | null } }).document
      .activeElement;
    if (!element) return 'nothing';
    const tag = element.tagName.toLowerCase();
    if (tag === 'body') return 'body';
    const label = element.getAttribute('aria-label') ?? element.textContent?.trim().slice(0, 60) ?? '';
    const classes = element.getAttribute('class');
    return `${tag}${classes ? `.${classes.split(/\s+/).join('.')}` : ''} "${label}"`;
  });
}

/** What the page's watch of the focus needs of the document (the test's own types have no DOM). */
interface WatchedDocument {
  readonly activeElement: unknown;
  readonly body: unknown;
  addEventListener(
    type: string,
    listener: (event: { relatedTarget: unknown }) => void,
    capture: boolean,
  ): void;
  removeEventListener(
    type: string,
    listener: (event: { relatedTarget: unknown }) => void,
    capture: boolean,
  ): void;
}

/**
 * Starts watching, in the page, for the keyboard's focus on the page's body: at every frame, and
 * at every focus lost to nothing (a focused button disabled or removed), looked at once the event
 * is handled. `stop` ends the watch and says how many times it was seen there (0: never).
 */
export async function watchFocusOnBody(page: Page): Promise<{ stop(): Promise<number> }> {
  await page.evaluate(() => {
    const scope = globalThis as unknown as {
      document: WatchedDocument;
      requestAnimationFrame(callback: () => void): void;
      queueMicrotask(callback: () => void): void;
      custosFocusWatch?: { seen: number; watching: boolean; stop(): void };
    };
    const { document } = scope;
    const watch: { seen: number; watching: boolean; stop(): void } = {
      seen: 0,
      watching: true,
      stop: () => undefined,
    };
    const look = () => {
      if (document.activeElement === document.body || document.activeElement === null) watch.seen += 1;
    };
    const onFocusOut = (event: { relatedTarget: unknown }) => {
      if (event.relatedTarget === null) scope.queueMicrotask(look);
    };
    const frame = () => {
      if (!watch.watching) return;
      look();
      scope.requestAnimationFrame(frame);
    };
    document.addEventListener('focusout', onFocusOut, true);
    watch.stop = () => {
      watch.watching = false;
      document.removeEventListener('focusout', onFocusOut, true);
    };
    scope.custosFocusWatch = watch;
    frame();
  });
  return {
    stop: () =>
      page.evaluate(() => {
        const watch = (globalThis as unknown as { custosFocusWatch?: { seen: number; stop(): void } })
          .custosFocusWatch;
        watch?.stop();
        return watch?.seen ?? -1;
      }),
  };
}
