/**
 * GET /metrics on prom-client, in the Prometheus text format (0.0.4). Each HTTP server has its
 * own Registry (tests start several servers in one process; prom-client's global one would mix
 * them). The process and Node metrics (CPU, memory, heap, event-loop lag, GC, handles) describe
 * the process, not a server: they are collected once per process, into a registry of our own,
 * and exposed by every server under prom-client's default names (`process_*`, `nodejs_*`), the
 * names Prometheus users and the common Node.js dashboards expect. Ours are `streampulse_*`.
 */
import { collectDefaultMetrics, Registry } from 'prom-client';

export const PROMETHEUS_CONTENT_TYPE: string = Registry.PROMETHEUS_CONTENT_TYPE;

let processRegistry: Registry | null = null;

/**
 * The process's own metrics, collected from the first call on. Once per process: the collectors
 * start observers (GC, event-loop delay) that live as long as the process.
 */
export function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** The text of /metrics: the process's metrics, then those of each registry given. */
export async function exposition(registries: readonly Registry[]): Promise<string> {
  return Registry.merge([processMetrics(), ...registries]).metrics();
}
