/**
 * Rows upserted with full values in one statement: `INSERT … SELECT * FROM unnest(…)` (one array
 * parameter per column, so a window's thousand rows are one round trip), and on a conflict with
 * the key every other column replaced by the new value, never incremented: writing a window again
 * (a late firing, a replay) is idempotent. Each table is described once, as its columns.
 */
import type pg from 'pg';

export interface UpsertColumn<R> {
  readonly name: string;
  /** The column's SQL type, for the unnest array (`int`, `text`, `timestamptz`, …). */
  readonly type: string;
  readonly value: (row: R) => unknown;
  /** Part of the conflict target (the unique key). */
  readonly key?: boolean;
  /** Written when the row is new, left as it is on a conflict. */
  readonly insertOnly?: boolean;
}

export interface UpsertTable<R> {
  readonly table: string;
  readonly columns: readonly UpsertColumn<R>[];
}

/** The statement for `table`; its parameters are upsertParameters' arrays, in column order. */
export function upsertSql<R>({ table, columns }: UpsertTable<R>): string {
  const names = columns.map((c) => c.name).join(', ');
  const arrays = columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ');
  const keys = columns.filter((c) => c.key).map((c) => c.name);
  const updates = columns
    .filter((c) => !c.key && !c.insertOnly)
    .map((c) => `${c.name} = EXCLUDED.${c.name}`);
  return (
    `INSERT INTO ${table} (${names}) SELECT * FROM unnest(${arrays}) ` +
    `ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${[...updates, 'updated_at = now()'].join(', ')}`
  );
}

export function upsertParameters<R>({ columns }: UpsertTable<R>, rows: readonly R[]): unknown[][] {
  return columns.map((c) => rows.map(c.value));
}

export async function upsertRows<R>(
  client: pg.PoolClient,
  table: UpsertTable<R>,
  rows: readonly R[],
): Promise<void> {
  if (rows.length === 0) return;
  await client.query(upsertSql(table), upsertParameters(table, rows));
}

/** A timestamptz column from epoch milliseconds. */
export const at = (ms: number): Date => new Date(ms);
