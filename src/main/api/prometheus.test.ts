import { describe, expect, it } from 'vitest';
import { formatPrometheus } from './prometheus';

describe('formatPrometheus', () => {
  it('writes HELP, TYPE and samples, with and without labels', () => {
    const text = formatPrometheus([
      { name: 'streampulse_events_total', help: 'Events produced', type: 'counter', value: 42 },
      {
        name: 'streampulse_partition_lag',
        help: 'Consumer lag per partition',
        type: 'gauge',
        values: [
          { labels: { partition: '0' }, value: 3 },
          { labels: { partition: '1', topic: 'downloads' }, value: 0.5 },
        ],
      },
    ]);
    expect(text).toBe(
      [
        '# HELP streampulse_events_total Events produced',
        '# TYPE streampulse_events_total counter',
        'streampulse_events_total 42',
        '# HELP streampulse_partition_lag Consumer lag per partition',
        '# TYPE streampulse_partition_lag gauge',
        'streampulse_partition_lag{partition="0"} 3',
        'streampulse_partition_lag{partition="1",topic="downloads"} 0.5',
        '',
      ].join('\n'),
    );
  });

  it('escapes label values and HELP text', () => {
    const text = formatPrometheus([
      {
        name: 'x',
        help: 'a \\ b\nc "quoted"',
        type: 'gauge',
        values: [{ labels: { region: 'a"b\\c\nd' }, value: 1 }],
      },
    ]);
    expect(text).toContain('# HELP x a \\\\ b\\nc "quoted"\n');
    expect(text).toContain('x{region="a\\"b\\\\c\\nd"} 1\n');
  });

  it('writes special values and refuses invalid names', () => {
    const text = formatPrometheus([
      {
        name: 'v',
        help: 'h',
        type: 'gauge',
        values: [
          { labels: { k: 'nan' }, value: NaN },
          { labels: { k: 'inf' }, value: Infinity },
          { labels: { k: 'ninf' }, value: -Infinity },
        ],
      },
    ]);
    expect(text).toContain('v{k="nan"} NaN\nv{k="inf"} +Inf\nv{k="ninf"} -Inf\n');
    expect(() => formatPrometheus([{ name: '1bad', help: '', type: 'gauge', value: 1 }])).toThrow();
    expect(() =>
      formatPrometheus([
        {
          name: 'ok',
          help: '',
          type: 'gauge',
          values: [{ labels: { 'bad-label': 'x' }, value: 1 }],
        },
      ]),
    ).toThrow();
    expect(formatPrometheus([])).toBe('');
  });
});
