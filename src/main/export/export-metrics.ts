/** The exports' lines of /metrics: how many stream now, how many have started. */
import { formatPrometheus } from '../api/prometheus';
import type { ExportService } from './export-service';

export function exportMetrics(service: ExportService): string {
  return formatPrometheus([
    {
      name: 'streampulse_exports_running',
      help: 'Exports streaming now (each holds a database connection or a log reader).',
      type: 'gauge',
      value: service.running,
    },
    {
      name: 'streampulse_exports_started_total',
      help: 'Exports started since launch.',
      type: 'counter',
      value: service.started,
    },
  ]);
}
