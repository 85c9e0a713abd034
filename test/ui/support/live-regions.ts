import type { Page } from 'playwright-core';

/** A live region (role status or alert) put on the page: its text when it came, and its first text. */
export interface NotedRegion {
  readonly role: string;
  /** Its text when the page first noted it in the document ('' when it came empty). */
  readonly added: string;
  /** Its first text that was not empty ('' while it has none). */
  readonly filled: string;
}

/** Notes, in the page, every live region added from now on (see `NotedRegion`). */
const NOTE_LIVE_REGIONS = `(() => {
  const noted = [];
  globalThis.notedLiveRegions = noted;
  const live = '[role="status"], [role="alert"]';
  new MutationObserver((records) => {
    for (const record of records)
      for (const node of record.addedNodes) {
        if (node.nodeType !== 1) continue;
        for (const element of [node, ...node.querySelectorAll(live)])
          if (element.matches(live))
            noted.push({ element, role: element.getAttribute('role'), added: element.textContent, filled: '' });
      }
    for (const region of noted)
      if (region.filled === '' && region.element.textContent !== '') region.filled = region.element.textContent;
  }).observe(document.body, { childList: true, subtree: true, characterData: true });
})()`;

/**
 * Starts noting the live regions the page adds; the function returned gives them so far. A region
 * that came holding its text (`added` not empty) is one that not every screen reader announces.
 */
export async function noteLiveRegions(page: Page): Promise<() => Promise<NotedRegion[]>> {
  await page.evaluate(NOTE_LIVE_REGIONS);
  return () =>
    page.evaluate(() =>
      (globalThis as unknown as { notedLiveRegions: NotedRegion[] }).notedLiveRegions.map(
        ({ role, added, filled }) => ({ role, added, filled }),
      ),
    );
}
