/** The exports' lines of /metrics: how many stream now, how many have started. */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { ExportService } from './export-service';

export function registerExportMetrics(registry: Registry, service: ExportService): void {
  new Gauge({
    name: 'streampulse_exports_running',
    help: 'Exports streaming now (each holds a database connection or a log reader).',
    registers: [registry],
    collect() {
      this.set(service.running);
    },
  });
  new Counter({
    name: 'streampulse_exports_started_total',
    help: 'Exports started since launch.',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(service.started);
    },
  });
}
