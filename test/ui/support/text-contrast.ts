import type { Locator } from 'playwright-core';

/**
 * The contrast ratio (WCAG 2) of an element's text colour against the first opaque background
 * behind it (its own, else its nearest ancestor's): 4.5 at least for text a user must read.
 */
export function textContrast(line: Locator): Promise<number> {
  return line.evaluate((el) => {
    type Styled = { parentElement: Styled | null };
    const view = (
      globalThis as unknown as { getComputedStyle(e: unknown): { color: string; backgroundColor: string } }
    ).getComputedStyle;
    const channels = (color: string) => (color.match(/[\d.]+/g) ?? []).map(Number);
    const opaque = (color: string) => {
      const [, , , alpha] = channels(color);
      return alpha === undefined || alpha > 0;
    };
    const luminance = (color: string) => {
      const [r, g, b] = channels(color)
        .slice(0, 3)
        .map((c) => {
          const v = c / 255;
          return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
        });
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    let behind: Styled | null = el as unknown as Styled;
    while (behind && !opaque(view(behind).backgroundColor)) behind = behind.parentElement;
    const text = luminance(view(el).color);
    const background = luminance(behind ? view(behind).backgroundColor : 'rgb(255, 255, 255)');
    return (Math.max(text, background) + 0.05) / (Math.min(text, background) + 0.05);
  });
}

/** The lower of `textContrast(line)` in the light and the dark theme; the page's theme is then put back. */
export async function textContrastInBothThemes(line: Locator): Promise<number> {
  type Root = { document: { documentElement: { dataset: Record<string, string | undefined> } } };
  const setTheme = (theme: string | undefined) =>
    line.page().evaluate((name) => {
      const { dataset } = (globalThis as unknown as Root).document.documentElement;
      const before = dataset.theme;
      if (name === undefined) delete dataset.theme;
      else dataset.theme = name;
      return before;
    }, theme);
  const before = await setTheme('dark');
  const dark = await textContrast(line);
  await setTheme('light');
  const light = await textContrast(line);
  await setTheme(before);
  return Math.min(dark, light);
}
