/**
 * The API's latency histogram: seconds from a request's arrival to its answer (the headers and
 * body of a JSON answer sent; for the event stream, its headers; for an export, its last byte),
 * per route template, method and status class. Route templates (`/api/drills/{id}`), not paths,
 * keep the number of series bounded whatever clients ask for.
 */
import { Histogram, type Registry } from 'prom-client';
import { EXPORT_PATH_PREFIX } from '../../shared/export-contract';
import type { Endpoint } from './router';

export const API_LATENCY_METRIC = 'streampulse_http_request_duration_seconds';

/** From a cached read (well under a millisecond) to a slow export. */
const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

type Labels = 'route' | 'method' | 'status_class';

export class ApiLatency {
  private readonly histogram: Histogram<Labels>;

  constructor(registry: Registry) {
    // One per registry: a second server on the same registry shares it.
    this.histogram =
      (registry.getSingleMetric(API_LATENCY_METRIC) as Histogram<Labels> | undefined) ??
      new Histogram({
        name: API_LATENCY_METRIC,
        help: 'Time from a request to its answer, per route template, method and status class.',
        labelNames: ['route', 'method', 'status_class'],
        buckets: BUCKETS,
        registers: [registry],
      });
  }

  observe(route: string, method: string, status: number, seconds: number): void {
    this.histogram.observe(
      { route, method, status_class: `${Math.floor(status / 100)}xx` },
      seconds,
    );
  }
}

/** Requests no route answered: refused early, unknown paths, the dashboard's files. */
export const UNMATCHED_ROUTE = '(unmatched)';
export const DASHBOARD_ROUTE = '(dashboard)';

/** The route template an endpoint answers at (its path for the server's own endpoints). */
export function routeOf(endpoint: Endpoint, path: string): string {
  switch (endpoint.kind) {
    case 'api':
      return endpoint.spec.path;
    case 'export':
      return `${EXPORT_PATH_PREFIX}{dataset}`;
    default:
      return path;
  }
}
