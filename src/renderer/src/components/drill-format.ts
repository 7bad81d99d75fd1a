/** 185000 → "3m 5s"; 1550 → "1.6s" (short delays of live drills with small windows). */
export function formatDelay(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(ms);
  if (abs < 10_000 && abs % 1000 !== 0) return `${sign}${(abs / 1000).toFixed(1)}s`;
  const total = Math.round(abs / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${sign}${h}h${m > 0 ? ` ${m}m` : ''}`;
  if (m > 0) return `${sign}${m}m${s > 0 ? ` ${s}s` : ''}`;
  return `${sign}${s}s`;
}
