/**
 * A result table's rows in a range, as CSV, streamed from PostgreSQL through a server-side cursor
 * (DECLARE ... CURSOR in a read-only transaction, FETCH in batches): memory stays bounded by one
 * batch whatever the row count, and the transaction's snapshot makes the count and the rows agree.
 */
import type pg from 'pg';
import type { ExportTable } from '../../shared/export-contract';
import { csvHeader, csvRecord } from './csv';
import {
  CHUNK_CHARS,
  CSV_CONTENT_TYPE,
  exportFileName,
  once,
  type PreparedExport,
} from './prepared-export';
import { TABLES } from './table-definitions';

/** Rows per FETCH: a few thousand keeps round trips cheap and memory small. */
export const FETCH_ROWS = 5000;

/** pg_stat_activity shows an export's connection under this name while it streams. */
export function exportApplicationName(table: ExportTable): string {
  return `streampulse export ${table}`;
}

export interface TableExportRequest {
  readonly table: ExportTable;
  readonly from: number;
  readonly to: number;
}

export async function prepareTableExport(
  pool: pg.Pool,
  request: TableExportRequest,
): Promise<PreparedExport> {
  const def = TABLES[request.table];
  const range = [new Date(request.from).toISOString(), new Date(request.to).toISOString()];
  const where = `${def.rangeColumn} >= $1::timestamptz AND ${def.rangeColumn} < $2::timestamptz`;
  const client = await pool.connect();
  let broken: Error | undefined;
  const close = once(async () => {
    try {
      if (!broken) await client.query('ROLLBACK'); // read-only: nothing to keep; closes the cursor
    } catch (err) {
      broken = err as Error;
    } finally {
      // A connection that failed mid-export is dropped rather than handed to the next caller.
      client.release(broken);
    }
  });
  let total: number;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await client.query(`SET LOCAL application_name = '${exportApplicationName(def.table)}'`);
    const count = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${def.table} WHERE ${where}`,
      range,
    );
    total = Number(count.rows[0]!.n);
    await client.query(
      `DECLARE export_rows NO SCROLL CURSOR FOR
       SELECT ${def.columns.map((c) => c.sql).join(', ')} FROM ${def.table}
       WHERE ${where} ORDER BY ${def.orderBy}`,
      range,
    );
  } catch (err) {
    broken = err as Error;
    await close();
    throw err;
  }

  async function* chunks(): AsyncGenerator<string, void, undefined> {
    try {
      let chunk = csvHeader(def.columns);
      for (;;) {
        const batch = await client.query<string[]>({
          text: `FETCH ${FETCH_ROWS} FROM export_rows`,
          rowMode: 'array',
        });
        for (const row of batch.rows) {
          chunk += csvRecord(def.columns, row);
          if (chunk.length >= CHUNK_CHARS) {
            yield chunk;
            chunk = '';
          }
        }
        if (batch.rows.length < FETCH_ROWS) break;
      }
      if (chunk) yield chunk;
    } catch (err) {
      broken = err as Error;
      throw err;
    } finally {
      await close();
    }
  }

  return {
    contentType: CSV_CONTENT_TYPE,
    fileName: exportFileName(def.table, request.from, request.to, 'csv'),
    totalRows: total,
    totalIsExact: true,
    chunks: chunks(),
    close,
  };
}
