/** The OpenAPI description of GET /api/export/{dataset}, from the export contract. */
import { EXPORT_PARAMS } from '../../shared/api/exports';
import {
  EXPORT_DATASETS,
  EXPORT_PATH_PREFIX,
  TOTAL_ROWS_HEADER,
} from '../../shared/export-contract';
import { errorRef, parameterObjects, type Json } from './openapi-parts';

export function exportPaths(): Record<string, Record<string, Json>> {
  return {
    [`${EXPORT_PATH_PREFIX}{dataset}`]: {
      get: {
        operationId: 'export',
        summary:
          'Stream the events of a time range (CSV or JSON lines) or a table’s rows (CSV) as a file; HEAD gives the headers and the row count only',
        tags: ['export'],
        parameters: [
          {
            name: 'dataset',
            in: 'path',
            required: true,
            schema: { type: 'string', enum: [...EXPORT_DATASETS] },
            description:
              'events (by event time), or a table: windows by window_start, alerts by created_at, late_events by window_start, dead_letters by received_at',
          },
          ...parameterObjects(EXPORT_PARAMS, () => 'query'),
        ],
        security: [{ bearerAuth: [] }],
        responses: {
          '200': {
            description: 'The file, streamed (chunked); an error after the first byte cuts it off',
            headers: {
              'Content-Disposition': { schema: { type: 'string' } },
              [TOTAL_ROWS_HEADER]: {
                description: 'Rows to expect: exact for tables, an estimate for events',
                schema: { type: 'integer' },
              },
              'X-Total-Exact': { schema: { type: 'string', enum: ['true', 'false'] } },
            },
            content: {
              'text/csv': { schema: { type: 'string' } },
              'application/x-ndjson': { schema: { type: 'string' } },
            },
          },
          '400': errorRef('A parameter is invalid (`field` names it: dataset, from, to, format)'),
          '401': errorRef('Missing or wrong bearer token'),
          '403': errorRef('Foreign Host header or Origin'),
          '429': errorRef('Too many exports at once'),
          '503': errorRef('The database is unreachable'),
        },
      },
    },
  };
}
