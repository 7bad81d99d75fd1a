import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  formatCompact,
  formatCount,
  formatDuration,
  formatPercent,
  formatRate,
  formatSpeed,
  rateToSlider,
  RATE_MAX,
  RATE_MIN,
  roundSignificant,
  SLIDER_STEPS,
  sliderToRate,
} from './format';

describe('formatting', () => {
  it('groups counts and compacts them', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCompact(950)).toBe('950');
    expect(formatCompact(1234)).toBe('1.2k');
    expect(formatCompact(25_000)).toBe('25k');
    expect(formatCompact(2_500_000)).toBe('2.5M');
  });

  it('formats rates, shares, durations and speeds', () => {
    expect(formatRate(0.5)).toBe('0.5/s');
    expect(formatRate(498.6)).toBe('499/s');
    expect(formatRate(12_000)).toBe('12,000/s');
    expect(formatRate(0)).toBe('0/s');
    expect(formatPercent(0.9234)).toBe('92.3%');
    expect(formatPercent(Number.NaN)).toBe('—');
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(4200)).toBe('4.2 s');
    expect(formatDuration(185_000)).toBe('3 min 5 s');
    expect(formatSpeed(42.26)).toBe('42.3 Mbps');
  });
});

describe('the rate slider’s log scale', () => {
  it('maps its ends to 0.1/s and 1,000,000/s', () => {
    expect(sliderToRate(0)).toBe(RATE_MIN);
    expect(sliderToRate(SLIDER_STEPS)).toBe(RATE_MAX);
    expect(sliderToRate(-5)).toBe(RATE_MIN);
    expect(sliderToRate(SLIDER_STEPS + 5)).toBe(RATE_MAX);
  });

  it('spends equal travel on each decade', () => {
    expect(sliderToRate(SLIDER_STEPS / 7)).toBe(1);
    expect(sliderToRate((SLIDER_STEPS * 4) / 7)).toBe(1000);
    expect(rateToSlider(1000)).toBe((SLIDER_STEPS * 4) / 7);
  });

  it('round-trips a rate to a nearby position', () => {
    for (const rate of [0.1, 0.5, 3, 50, 500, 12_000, 1_000_000])
      expect(Math.abs(sliderToRate(rateToSlider(rate)) - rate) / rate).toBeLessThan(0.02);
    expect(rateToSlider(0)).toBe(0);
    expect(rateToSlider(10_000_000)).toBe(SLIDER_STEPS);
  });

  it('rounds to two significant digits', () => {
    expect(roundSignificant(1234, 2)).toBe(1200);
    expect(roundSignificant(0.1234, 2)).toBe(0.12);
  });
});

describe('backoff', () => {
  it('doubles from 1 s up to 15 s', () => {
    expect([1, 2, 3, 4, 5, 6, 10].map(backoffDelay)).toEqual([
      1000, 2000, 4000, 8000, 15_000, 15_000, 15_000,
    ]);
  });
});
