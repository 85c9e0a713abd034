/**
 * What a test's measure of where text is drawn uses of the page, inside `evaluate` (the tests are
 * typed without the DOM's types): `(globalThis as unknown as PageWithRanges).document.createRange()`.
 */
export interface PageWithRanges {
  document: {
    createRange(): {
      setStart(node: unknown, offset: number): void;
      setEnd(node: unknown, offset: number): void;
      getBoundingClientRect(): { left: number };
    };
  };
}
