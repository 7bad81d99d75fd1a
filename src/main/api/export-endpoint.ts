/**
 * GET|HEAD /api/export/{dataset}: an export as a file. Everything that can fail cleanly is done
 * before the first byte (the token, the parameters, opening the cursor or the log and counting),
 * so a bad request is the API's usual JSON error and never a partial file. HEAD answers the
 * headers only (the row count in X-Total-Estimate) and releases at once.
 */
import { EXPORT_PARAMS } from '../../shared/api/exports';
import type { IncomingMessage } from 'node:http';
import { validateParams } from '../../shared/api/params';
import { checkExportRequest, TOTAL_ROWS_HEADER } from '../../shared/export-contract';
import type { ExportService } from '../export/export-service';
import type { PreparedExport } from '../export/prepared-export';
import { HttpError } from './api-errors';
import { BearerAuth } from './request-security';
import { queryParams } from './router';

export class ExportEndpoint {
  private readonly auth: BearerAuth;

  constructor(
    private readonly service: ExportService | undefined,
    token: string,
  ) {
    this.auth = new BearerAuth(token);
  }

  /**
   * Checks and opens the export. Exports need the launch token like changing calls: a bulk read
   * holds a database connection, and a page of another site cannot send the header (no CORS for
   * it), so it cannot start one from a link or an image either.
   */
  async prepare(
    req: IncomingMessage,
    dataset: string,
    query: URLSearchParams,
    ownOrigins: ReadonlySet<string>,
  ): Promise<PreparedExport> {
    const origin = req.headers.origin;
    if (origin !== undefined && !ownOrigins.has(origin)) {
      throw new HttpError(403, { error: 'forbidden', detail: 'cross-origin exports are refused' });
    }
    this.auth.check(req.headers);
    const params = validateParams(EXPORT_PARAMS, queryParams(query), 'query');
    const request = checkExportRequest(dataset, params);
    if (!this.service) {
      throw new HttpError(503, {
        error: 'unavailable',
        detail: 'exports are not available from this server',
      });
    }
    try {
      return await this.service.prepare(request);
    } catch (err) {
      if ((err as Error).name === 'TooManyExportsError') {
        throw new HttpError(429, { error: 'too many exports', detail: (err as Error).message });
      }
      throw err;
    }
  }
}

/** The answer's headers: type, attachment file name, the rows to expect. */
export function exportHeaders(prepared: PreparedExport): Record<string, string> {
  return {
    'Content-Type': prepared.contentType,
    'Content-Disposition': `attachment; filename="${prepared.fileName}"`,
    ...(prepared.totalRows === null ? {} : { [TOTAL_ROWS_HEADER]: String(prepared.totalRows) }),
    'X-Total-Exact': String(prepared.totalIsExact),
  };
}
