import { useEffect } from 'react';

/** How long a new screen may take to show the element that should take the focus (its data loads). */
const ARRIVAL_MS = 1500;

/**
 * After a screen change (`screenKey`), and whenever the focus has fallen to the page's body
 * (the element that had it was removed: a closed dialog, an opened row, a created case), gives it
 * to the screen's first action: the element marked `data-autofocus`, else the screen's heading. Any
 * focus the user or the screen gives meanwhile is left alone.
 */
export function useArrivalFocus(screenKey: string): void {
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new screen is what starts it
  useEffect(() => {
    const until = performance.now() + ARRIVAL_MS;
    let frame = 0;
    const place = () => {
      if (!lost()) return;
      const main = document.querySelector('main');
      const wanted = main?.querySelector<HTMLElement>('[data-autofocus]');
      if (wanted) {
        wanted.focus();
        return;
      }
      if (performance.now() < until) {
        frame = requestAnimationFrame(place);
        return;
      }
      const heading = main?.querySelector<HTMLElement>('h1');
      if (heading) {
        heading.tabIndex = -1;
        heading.focus();
      }
    };
    frame = requestAnimationFrame(place);
    // Later losses (a row opened by Enter and its screen gone, a dialog closed) are caught too.
    // Only when the element itself went away: a click on an empty spot is the user's choice.
    const onFocusOut = (event: FocusEvent) => {
      const left = event.target as Element;
      setTimeout(() => {
        if (!left.isConnected && lost()) place();
      }, 0);
    };
    document.addEventListener('focusout', onFocusOut);
    return () => {
      cancelAnimationFrame(frame);
      document.removeEventListener('focusout', onFocusOut);
    };
  }, [screenKey]);
}

/** Whether no element has the focus (it is on the body, or nowhere). */
function lost(): boolean {
  return document.activeElement === null || document.activeElement === document.body;
}
