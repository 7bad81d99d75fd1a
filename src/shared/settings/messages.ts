/**
 * How the settings' error messages show values and bounds: numbers with thousands separators,
 * durations also in s/h/d, values cut short. Shared by the schema's messages and the checks.
 */

export const HOUR_MS = 3_600_000;

export function humanMs(ms: number): string {
  if (ms === 0) return '';
  if (ms % (24 * HOUR_MS) === 0) return ` (${ms / (24 * HOUR_MS)} d)`;
  if (ms % HOUR_MS === 0) return ` (${ms / HOUR_MS} h)`;
  if (ms % 1000 === 0) return ` (${ms / 1000} s)`;
  return '';
}

export function formatNumber(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString('en-US') : String(n);
}

export function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

/** A value as it appears in an error, cut short. */
export function shown(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

export function hasControlCharacters(text: string): boolean {
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** The same key but for case, or at most two edits away: probably a typo of it. */
export function isNear(known: string, key: string): boolean {
  const a = known.toLowerCase();
  const b = key.toLowerCase();
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 2 || Math.min(a.length, b.length) < 4) return false;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(
        (prev[j] ?? 0) + 1,
        (row[j - 1] ?? 0) + 1,
        (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    prev = row;
  }
  return (prev[b.length] ?? 3) <= 2;
}
