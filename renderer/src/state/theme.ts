/** The light or dark theme, remembered on this workstation (localStorage; never sent anywhere). */
export type Theme = 'light' | 'dark';

const KEY = 'custos.theme';

/** The theme chosen before, else the system's. */
export function initialTheme(): Theme {
  const saved = localStorage.getItem(KEY);
  if (saved === 'light' || saved === 'dark') return saved;
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** Applies a theme to the page and remembers it. */
export function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  localStorage.setItem(KEY, theme);
}
