import { useEffect } from 'react';

/** Marks the heading that holds the focus until the screen's first action appears. */
const HOLDING = 'data-holding-focus';

/** How long a new screen may take to show its first action (its data loads) before the heading keeps the focus. */
const ARRIVAL_MS = 10_000;

/**
 * After a screen change (`screenKey`), and whenever the focus has fallen to the page's body (the
 * element that had it was removed: a closed dialog, an opened row, a created case), gives it to
 * the screen's first action: the element marked `data-autofocus`. Until that element exists (the
 * screen's data is still loading) the screen's heading holds the focus, and it passes on as soon as
 * the element appears, unless the user has put the focus elsewhere meanwhile.
 */
export function useArrivalFocus(screenKey: string): void {
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new screen is what starts it
  useEffect(() => {
    const main = document.querySelector('main');
    if (!main) return;
    // The heading focused while waiting is marked (HOLDING), not remembered here: the screen's key
    // can change again while it waits (the case loads), and the next run must still know that the
    // focus on the heading is a placeholder, not the user's choice (under load it stayed there).
    const waiting = () => lost() || document.activeElement?.hasAttribute(HOLDING) === true;
    const place = () => {
      if (!waiting()) return;
      const wanted = main.querySelector<HTMLElement>('[data-autofocus]');
      if (wanted) {
        document.activeElement?.removeAttribute(HOLDING);
        wanted.focus();
        return;
      }
      const heading = main.querySelector<HTMLElement>('h1');
      if (heading && lost()) {
        heading.tabIndex = -1;
        heading.setAttribute(HOLDING, '');
        heading.focus();
      }
    };
    const frame = requestAnimationFrame(place);
    // The first action appears once the screen's data has loaded.
    const observer = new MutationObserver(place);
    observer.observe(main, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['data-autofocus'],
    });
    // And a look every tenth of a second: on a loaded machine the first action can appear between
    // a mutation and the focus leaving an element that was being removed, and no event follows.
    const poll = setInterval(place, 100);
    const stopWatching = setTimeout(() => {
      observer.disconnect();
      clearInterval(poll);
    }, ARRIVAL_MS);
    // Later losses (a dialog's control removed, an opened row) are caught too; a click on an empty
    // spot (the element is still there) is the user's choice and left alone.
    const onFocusOut = (event: FocusEvent) => {
      const left = event.target as Element;
      setTimeout(() => {
        if (!left.isConnected && lost()) place();
      }, 0);
    };
    document.addEventListener('focusout', onFocusOut);
    return () => {
      cancelAnimationFrame(frame);
      clearInterval(poll);
      clearTimeout(stopWatching);
      observer.disconnect();
      document.removeEventListener('focusout', onFocusOut);
    };
  }, [screenKey]);
}

/** Whether no element has the focus (it is on the body, or nowhere). */
function lost(): boolean {
  return document.activeElement === null || document.activeElement === document.body;
}
