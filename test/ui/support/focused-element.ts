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
