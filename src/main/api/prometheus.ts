/**
 * The Prometheus text exposition format (version 0.0.4) for GET /metrics: `# HELP`, `# TYPE`, then
 * one sample per line. HELP escapes `\` and newlines; label values also escape `"`. Names that the
 * format does not allow are a programming error and throw.
 */
export type MetricLabels = Readonly<Record<string, string>>;

export type Metric = {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge';
} & (
  | { readonly value: number; readonly values?: undefined }
  | {
      readonly value?: undefined;
      readonly values: ReadonlyArray<{ readonly labels: MetricLabels; readonly value: number }>;
    }
);

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function formatPrometheus(metrics: readonly Metric[]): string {
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const metric of metrics) {
    if (!METRIC_NAME.test(metric.name)) throw new Error(`invalid metric name ${metric.name}`);
    if (seen.has(metric.name)) throw new Error(`metric ${metric.name} is listed twice`);
    seen.add(metric.name);
    lines.push(`# HELP ${metric.name} ${escapeHelp(metric.help)}`);
    lines.push(`# TYPE ${metric.name} ${metric.type}`);
    if (metric.values === undefined) {
      lines.push(`${metric.name} ${formatValue(metric.value)}`);
      continue;
    }
    for (const sample of metric.values) {
      lines.push(`${metric.name}${formatLabels(sample.labels)} ${formatValue(sample.value)}`);
    }
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

function formatLabels(labels: MetricLabels): string {
  const pairs = Object.entries(labels).map(([name, value]) => {
    if (!LABEL_NAME.test(name) || name.startsWith('__'))
      throw new Error(`invalid label name ${name}`);
    return `${name}="${escapeLabelValue(value)}"`;
  });
  return pairs.length ? `{${pairs.join(',')}}` : '';
}

export function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}
