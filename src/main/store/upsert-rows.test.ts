import { describe, expect, it } from 'vitest';
import { upsertParameters, upsertSql, type UpsertTable } from './upsert-rows';

const TABLE: UpsertTable<{ id: string; n: number; born: string }> = {
  table: 't',
  columns: [
    { name: 'id', type: 'text', value: (r) => r.id, key: true },
    { name: 'born', type: 'text', value: (r) => r.born, insertOnly: true },
    { name: 'n', type: 'int', value: (r) => r.n },
  ],
};

describe('upsertSql', () => {
  it('inserts every column from arrays and, on the key, replaces only the non-key columns', () => {
    expect(upsertSql(TABLE)).toBe(
      'INSERT INTO t (id, born, n) SELECT * FROM unnest($1::text[], $2::text[], $3::int[]) ' +
        'ON CONFLICT (id) DO UPDATE SET n = EXCLUDED.n, updated_at = now()',
    );
    expect(
      upsertParameters(TABLE, [
        { id: 'a', n: 1, born: 'x' },
        { id: 'b', n: 2, born: 'y' },
      ]),
    ).toEqual([
      ['a', 'b'],
      ['x', 'y'],
      [1, 2],
    ]);
  });
});
