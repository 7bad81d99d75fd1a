/** Chart colours for the light and dark themes, following `prefers-color-scheme`. */
import { useEffect, useState } from 'react';

export interface Palette {
  readonly accent: string;
  readonly danger: string;
  readonly warning: string;
  readonly grid: string;
  readonly axis: string;
  readonly text: string;
  readonly tooltipBg: string;
}

const LIGHT: Palette = {
  accent: '#2f6fd0',
  danger: '#c2410c',
  warning: '#b7791f',
  grid: '#e4e7ec',
  axis: '#667085',
  text: '#1d2433',
  tooltipBg: '#ffffff',
};

const DARK: Palette = {
  accent: '#6ea8fe',
  danger: '#fb8c5a',
  warning: '#e8b04b',
  grid: '#2a313c',
  axis: '#98a2b3',
  text: '#e6e9ee',
  tooltipBg: '#1b2029',
};

const QUERY = '(prefers-color-scheme: dark)';

export function usePalette(): Palette {
  const [dark, setDark] = useState(() => window.matchMedia?.(QUERY).matches ?? false);
  useEffect(() => {
    const media = window.matchMedia?.(QUERY);
    if (!media) return;
    const onChange = (event: MediaQueryListEvent) => setDark(event.matches);
    media.addEventListener('change', onChange);
    return () => media.removeEventListener('change', onChange);
  }, []);
  return dark ? DARK : LIGHT;
}
