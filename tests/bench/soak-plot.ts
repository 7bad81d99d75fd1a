/** The soak's memory curve as a small SVG for docs/BENCHMARKS.md: no charting dependency needed. */
import type { SoakSample } from './soak';

const WIDTH = 640;
const HEIGHT = 260;
const PAD = { left: 48, right: 16, top: 24, bottom: 32 };
const TARGET_MB = 250;

export function soakPlot(samples: readonly SoakSample[]): string {
  const maxS = Math.max(60, ...samples.map((s) => s.atS));
  const maxMb =
    Math.ceil(
      Math.max(TARGET_MB, ...samples.map((s) => Math.max(s.serveRssMb, s.postgresPssMb))) / 50,
    ) * 50;
  const x = (s: number): number => PAD.left + (s / maxS) * (WIDTH - PAD.left - PAD.right);
  const y = (mb: number): number =>
    HEIGHT - PAD.bottom - (mb / maxMb) * (HEIGHT - PAD.top - PAD.bottom);
  const line = (value: (s: SoakSample) => number): string =>
    samples.map((s) => `${x(s.atS).toFixed(1)},${y(value(s)).toFixed(1)}`).join(' ');
  const yTicks = Array.from({ length: maxMb / 50 + 1 }, (_, i) => i * 50);
  const minuteStep = Math.max(1, Math.ceil(maxS / 60 / 10));
  const xTicks = Array.from(
    { length: Math.floor(maxS / 60 / minuteStep) + 1 },
    (_, i) => i * minuteStep,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" font-family="sans-serif" font-size="11">
  <rect width="100%" height="100%" fill="#fff"/>
  ${yTicks.map((mb) => `<line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${y(mb)}" y2="${y(mb)}" stroke="#eee"/><text x="${PAD.left - 6}" y="${y(mb) + 4}" text-anchor="end" fill="#555">${mb}</text>`).join('\n  ')}
  ${xTicks.map((m) => `<text x="${x(m * 60)}" y="${HEIGHT - PAD.bottom + 16}" text-anchor="middle" fill="#555">${m}</text>`).join('\n  ')}
  <text x="${WIDTH / 2}" y="${HEIGHT - 4}" text-anchor="middle" fill="#555">minutes</text>
  <text x="${PAD.left}" y="14" fill="#555">MB</text>
  <line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${y(TARGET_MB)}" y2="${y(TARGET_MB)}" stroke="#c62828" stroke-dasharray="4 3"/>
  <text x="${WIDTH - PAD.right}" y="${y(TARGET_MB) - 4}" text-anchor="end" fill="#c62828">target ${TARGET_MB} MB</text>
  <polyline fill="none" stroke="#1565c0" stroke-width="2" points="${line((s) => s.serveRssMb)}"/>
  <polyline fill="none" stroke="#2e7d32" stroke-width="2" points="${line((s) => s.postgresPssMb)}"/>
  <text x="${PAD.left + 8}" y="${PAD.top + 12}" fill="#1565c0">serve RSS</text>
  <text x="${PAD.left + 80}" y="${PAD.top + 12}" fill="#2e7d32">embedded PostgreSQL PSS</text>
</svg>
`;
}
