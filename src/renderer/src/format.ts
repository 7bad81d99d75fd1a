/** Formatting for the dashboard: counts, rates, shares, durations and times, all in en-US. */

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** 1234 → "1.2k", 2_500_000 → "2.5M": for tight places like chart axes. */
export function formatCompact(n: number): string {
  const abs = Math.abs(n);
  if (abs >= 1e9) return `${trim(n / 1e9)}B`;
  if (abs >= 1e6) return `${trim(n / 1e6)}M`;
  if (abs >= 1e3) return `${trim(n / 1e3)}k`;
  return trim(n);
}

function trim(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(Math.abs(n) < 10 ? 1 : 0).replace(/\.0$/, '');
}

/** A rate in events per second: below 10 with one decimal, else whole and grouped. */
export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return '—';
  if (perSecond > 0 && perSecond < 10) return `${perSecond.toFixed(1)}/s`;
  return `${formatCount(Math.round(perSecond))}/s`;
}

/** A share 0..1 as a percentage; NaN (no data) as a dash. */
export function formatPercent(share: number, digits = 1): string {
  if (!Number.isFinite(share)) return '—';
  return `${(share * 100).toFixed(digits)}%`;
}

/** Milliseconds as "850 ms", "4.2 s", "3 min 5 s"; null as a dash. */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  if (Math.abs(ms) < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (Math.abs(seconds) < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
}

/** Megabits per second with one decimal. */
export function formatSpeed(mbps: number): string {
  return Number.isFinite(mbps) ? `${mbps.toFixed(1)} Mbps` : '—';
}

/** An ISO time as a local HH:MM:SS; null as a dash. */
export function formatClock(iso: string | null): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  return date.toLocaleTimeString('en-GB', { hour12: false });
}

/** An ISO time as HH:MM, for minute buckets. */
export function formatMinute(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return date.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false });
}

// ---- The rate slider's log scale ------------------------------------------------------------

export const RATE_MIN = 0.1;
export const RATE_MAX = 1_000_000;
/** The slider's integer positions: 0 → RATE_MIN, SLIDER_STEPS → RATE_MAX. */
export const SLIDER_STEPS = 700;

const DECADES = Math.log10(RATE_MAX / RATE_MIN);

/** A slider position to a rate, rounded to a "nice" value (2 significant digits). */
export function sliderToRate(position: number): number {
  const clamped = Math.min(Math.max(position, 0), SLIDER_STEPS);
  const rate = RATE_MIN * 10 ** ((clamped / SLIDER_STEPS) * DECADES);
  return roundSignificant(Math.min(Math.max(rate, RATE_MIN), RATE_MAX), 2);
}

/** A rate to the nearest slider position (rates outside the scale land at its ends). */
export function rateToSlider(rate: number): number {
  if (!(rate > 0)) return 0;
  const position = (Math.log10(rate / RATE_MIN) / DECADES) * SLIDER_STEPS;
  return Math.round(Math.min(Math.max(position, 0), SLIDER_STEPS));
}

export function roundSignificant(n: number, digits: number): number {
  if (n === 0 || !Number.isFinite(n)) return n;
  const magnitude = Math.floor(Math.log10(Math.abs(n)));
  const exponent = digits - 1 - magnitude;
  // Divide by a whole power of ten rather than multiply by a fraction: 1e6 stays exact.
  return exponent >= 0
    ? Math.round(n * 10 ** exponent) / 10 ** exponent
    : Math.round(n / 10 ** -exponent) * 10 ** -exponent;
}

// ---- Retries --------------------------------------------------------------------------------

export const BACKOFF_BASE_MS = 1000;
export const BACKOFF_MAX_MS = 15_000;

/** The wait before retry number `attempt` (1-based): 1 s, 2 s, 4 s, 8 s, then 15 s. */
export function backoffDelay(attempt: number): number {
  return Math.min(BACKOFF_BASE_MS * 2 ** Math.max(attempt - 1, 0), BACKOFF_MAX_MS);
}
