/** The headline figures: the selected range's totals and the pipeline's live rates. */
import { memo } from 'react';
import { useDashboardShallow } from '../store/store-context';
import { formatCount, formatDuration, formatPercent, formatRate } from '../format';

export const StatsCards = memo(function StatsCards(): React.JSX.Element {
  const { live, rangeStats, range } = useDashboardShallow((s) => ({
    live: s.live?.realtime ?? null,
    rangeStats: s.rangeStats,
    range: s.range,
  }));
  // The range's totals come from `stats:realtime`; until they do, the snapshot's if it covers the range.
  const totals = rangeStats ?? (live && live.minutes === range ? live : null);
  const cards: Array<{ label: string; value: string | null; hint?: string; warn?: boolean }> = [
    {
      label: `Downloads (${range} min)`,
      value: totals ? formatCount(totals.downloads) : null,
      hint: live ? `${formatCount(live.partial.downloads)} in the open window` : undefined,
    },
    {
      label: 'Active content',
      value: totals ? formatCount(totals.activeContent) : null,
      hint: 'titles downloaded in the range',
    },
    {
      label: 'Success rate',
      value: totals ? formatPercent(totals.successRate) : null,
      hint: totals
        ? `${formatCount(totals.failed)} failed · ${formatCount(totals.slow)} slow`
        : undefined,
      warn: totals !== null && totals.downloads > 0 && totals.successRate < 0.85,
    },
    {
      label: 'Events/s now',
      value: live ? formatRate(live.eventsPerSecond) : null,
      hint: 'measured at the generator',
    },
    {
      label: 'Consumer lag',
      value: live ? formatCount(live.consumerLag) : null,
      hint: 'events not yet read by the engine',
      warn: live !== null && live.consumerLag > 10_000,
    },
    {
      label: 'Watermark delay',
      value: live ? formatDuration(live.watermarkDelayMs) : null,
      hint: 'how far event time trails the clock',
    },
  ];
  return (
    <section className="cards" aria-label={`Key figures, last ${range} minutes`}>
      {cards.map((card) => (
        <div key={card.label} className={`card${card.warn ? ' card-warn' : ''}`}>
          <div className="card-label">{card.label}</div>
          {card.value === null ? (
            <div className="card-value skeleton-value" aria-busy="true">
              <span className="sr-only">Loading…</span>
            </div>
          ) : (
            <div className="card-value">{card.value}</div>
          )}
          {card.hint && <div className="card-hint">{card.hint}</div>}
        </div>
      ))}
    </section>
  );
});
