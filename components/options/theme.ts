import type { Theme } from '../../utils/favorites/types';

/**
 * Themes are CSS custom properties keyed on `data-theme` on <html>; 'system' leaves
 * the attribute off so the prefers-color-scheme media query decides, and follows
 * the OS when it flips at night without a reload.
 */
export function applyTheme(theme: Theme, root: HTMLElement = document.documentElement): void {
  if (theme === 'light' || theme === 'dark') root.dataset.theme = theme;
  else delete root.dataset.theme;
}
