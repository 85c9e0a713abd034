import { useEffect } from 'react';

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
    /** The heading this hook focused while waiting: still there means the user has not moved. */
    let holding: HTMLElement | null = null;
    const waiting = () => lost() || (holding !== null && document.activeElement === holding);
    const place = () => {
      if (!waiting()) return;
      const wanted = main.querySelector<HTMLElement>('[data-autofocus]');
      if (wanted) {
        wanted.focus();
        holding = null;
        return;
      }
      const heading = main.querySelector<HTMLElement>('h1');
      if (heading && lost()) {
        heading.tabIndex = -1;
        heading.focus();
        holding = heading;
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
    const stopWatching = setTimeout(() => observer.disconnect(), ARRIVAL_MS);
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
