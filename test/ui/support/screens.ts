import type { UiSession } from './ui-session.js';

/** The document element's data set, as page.evaluate sees it (this file is compiled with Node's types). */
interface ThemedDocument {
  document: { documentElement: { dataset: Record<string, string | undefined> } };
}

/** The window sizes every screen must work at: a small laptop and a common desktop. */
export const SCREEN_SIZES = [
  { width: 1024, height: 700 },
  { width: 1440, height: 900 },
] as const;

/**
 * Saves the window as it is now at 1024×700 and 1440×900, in the light and the dark theme
 * (`<name>-<width>x<height>-<theme>.png` under test-results/ui/), then puts size and theme back.
 */
export async function screenshotsAtEverySize(ui: UiSession, name: string): Promise<void> {
  const page = ui.page;
  const before = page.viewportSize();
  const theme = (t: string | undefined) =>
    page.evaluate((value) => {
      const { dataset } = (globalThis as unknown as ThemedDocument).document.documentElement;
      if (value === undefined) delete dataset.theme;
      else dataset.theme = value;
    }, t);
  const original = await page.evaluate(
    () => (globalThis as unknown as ThemedDocument).document.documentElement.dataset.theme,
  );
  try {
    for (const mode of ['light', 'dark'] as const) {
      await theme(mode);
      for (const size of SCREEN_SIZES) {
        await page.setViewportSize(size);
        await ui.screenshot(`${name}-${size.width}x${size.height}-${mode}`);
      }
    }
  } finally {
    await theme(original);
    if (before) await page.setViewportSize(before);
  }
}
