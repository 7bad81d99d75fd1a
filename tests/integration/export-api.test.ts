/**
 * GET /api/export/{dataset} over a real log and a real PostgreSQL filled by `streampulse run`:
 * events of a range equal an independent read of the log, CSV parses back, tables equal their
 * rows in SQL, bad parameters are JSON errors with no file, and a client that hangs up stops the
 * read behind it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/store-test-helpers';
import { eventToJson } from '../../src/main/events/download-event';
import { exportApplicationName } from '../../src/main/export/table-export';
import { parseCsv, parseCsvObjects } from '../support/csv-parse';
import {
  bodyText,
  exportUrl,
  openExport,
  readWholeLog,
  startExportFixture,
  type ExportFixture,
} from '../support/export-fixture';
import { expectApiError } from '../support/api-result';
import { runCliInProcess } from '../support/run-cli-in-process';
import { fileURLToPath } from 'node:url';
import { prepareEventExportInWorker } from '../../src/main/export/event-export-worker';
import { silentLogger } from '../../src/main/logger';

const FROM = '2026-11-24T10:05:00.000Z';
const TO = '2026-11-24T10:12:00.000Z';
let fx: ExportFixture;

beforeAll(async () => {
  // 20 minutes of event time at 50 events/s, 5% of them delivered 20 s late.
  fx = await startExportFixture([
    '--events',
    '60000',
    '--seed',
    '3',
    '--start',
    '2026-11-24T10:00:00Z',
    '--virtual-rate',
    '50',
    '--late-fraction',
    '0.05',
    '--late-by-ms',
    '20000',
  ]);
}, 120_000);
afterAll(async () => fx?.close());

async function getExport(dataset: string, query: Record<string, string>) {
  const res = await openExport(fx.http.port, exportUrl(dataset, query));
  return { res, text: await bodyText(res) };
}

describe('events export over HTTP', () => {
  it('JSON lines: exactly the decoded events of [from, to), as `events export --until` prints them', async () => {
    const { res, text } = await getExport('events', { from: FROM, to: TO, format: 'jsonl' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="events_2026-11-24T10-05-00Z_2026-11-24T10-12-00Z.jsonl"',
    );
    const lines = text.trimEnd().split('\n');
    const expected = (await readWholeLog(fx.backend)).filter(
      (e) => e.event.eventTime >= Date.parse(FROM) && e.event.eventTime < Date.parse(TO),
    );
    expect(expected.length).toBeGreaterThan(20_000);
    expect(
      expected.some((e) => e.offset > 0 && e.event.eventTime < Date.parse(FROM) + 20_000),
    ).toBe(true);
    expect(lines).toHaveLength(expected.length);
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual(
      expected.map((e) =>
        JSON.parse(
          JSON.stringify({ partition: e.partition, offset: e.offset, ...eventToJson(e.event) }),
        ),
      ),
    );
    // An estimate from the time index: the records between the offsets for from and to + horizon.
    const estimate = Number(res.headers['x-total-estimate']);
    expect(estimate).toBeGreaterThanOrEqual(expected.length);
    expect(estimate).toBeLessThan(expected.length * 1.3);
    expect(res.headers['x-total-exact']).toBe('false');

    // One implementation: the CLI's output for the same range is the same bytes.
    const cli = await runCliInProcess([
      'events',
      'export',
      '--since',
      FROM,
      '--until',
      TO,
      '--data-dir',
      fx.dataDir,
    ]);
    expect(cli.code).toBe(0);
    expect(cli.stdout).toBe(text);
  });

  it('CSV: a header and one flat record per event that parses back to the same values', async () => {
    const [jsonl, csv] = await Promise.all([
      getExport('events', { from: FROM, to: TO, format: 'jsonl' }),
      getExport('events', { from: FROM, to: TO }),
    ]);
    expect(csv.res.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    const rows = parseCsvObjects(csv.text);
    const events = jsonl.text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as ReturnType<typeof eventToJson> & Record<string, never>);
    expect(rows).toHaveLength(events.length);
    expect(Object.keys(rows[0]!)).toEqual([
      'partition',
      'offset',
      'eventId',
      'eventTime',
      'userId',
      'contentId',
      'title',
      'contentType',
      'sizeBytes',
      'region',
      'deviceType',
      'os',
      'osVersion',
      'network',
      'status',
      'speedMbps',
      'durationMs',
      'bytesDownloaded',
      'errorCode',
    ]);
    rows.forEach((row, i) => {
      const e = events[i] as unknown as {
        partition: number;
        offset: number;
        eventId: string;
        eventTime: string;
        content: { title: string; sizeBytes: number };
        speedMbps: number;
        errorCode: string | null;
      };
      expect(row.partition).toBe(String(e.partition));
      expect(row.offset).toBe(String(e.offset));
      expect(row.eventId).toBe(e.eventId);
      expect(row.eventTime).toBe(e.eventTime);
      expect(row.title).toBe(e.content.title);
      expect(row.sizeBytes).toBe(String(e.content.sizeBytes));
      expect(Number(row.speedMbps)).toBe(e.speedMbps);
      expect(row.errorCode).toBe(e.errorCode ?? '');
    });
  });

  it('in a worker (as the app runs it): the same bytes as on this thread', async () => {
    // The built worker entry (npm test builds first; `npx electron-vite build` by hand).
    const worker = fileURLToPath(new URL('../../out/main/export-worker.js', import.meta.url));
    const request = {
      from: Date.parse(FROM),
      to: Date.parse(TO),
      format: 'csv' as const,
      horizonMs: 65_000,
      maxFutureMs: 300_000,
    };
    const inWorker = await prepareEventExportInWorker(worker, fx.backend, request, silentLogger);
    let text = '';
    for await (const chunk of inWorker.chunks) text += chunk;
    expect(text).toBe((await getExport('events', { from: FROM, to: TO })).text);
    expect(inWorker.totalRows).toBeGreaterThan(20_000);
  });

  it('HEAD gives the headers and the estimate, and releases at once', async () => {
    const res = await openExport(
      fx.http.port,
      exportUrl('events', { from: FROM, to: TO, format: 'jsonl' }),
      { method: 'HEAD' },
    );
    expect(res.statusCode).toBe(200);
    expect(Number(res.headers['x-total-estimate'])).toBeGreaterThan(20_000);
    expect(await bodyText(res)).toBe('');
    await waitFor('the export to be released', () => fx.service.running === 0);
  });
});

describe('table exports over HTTP', () => {
  it('region_health: every row of the range, in key order, equal to SQL', async () => {
    const { res, text } = await getExport('region_health', { from: FROM, to: TO });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="region_health_2026-11-24T10-05-00Z_2026-11-24T10-12-00Z.csv"',
    );
    const rows = parseCsvObjects(text);
    const { rows: expected } = await fx.database.pool.query<{
      window_start: Date;
      region: string;
      source_partition: number;
      total_downloads: number;
      p95_speed_mbps: number;
    }>(
      `SELECT window_start, region, source_partition, total_downloads, p95_speed_mbps FROM region_health
       WHERE window_start >= $1 AND window_start < $2 ORDER BY window_start, region, source_partition`,
      [FROM, TO],
    );
    expect(expected.length).toBeGreaterThan(30);
    expect(Number(res.headers['x-total-estimate'])).toBe(expected.length);
    expect(res.headers['x-total-exact']).toBe('true');
    expect(
      rows.map((r) => [
        r.window_start,
        r.region,
        Number(r.source_partition),
        Number(r.total_downloads),
        Number(r.p95_speed_mbps),
      ]),
    ).toEqual(
      expected.map((r) => [
        r.window_start.toISOString(),
        r.region,
        r.source_partition,
        r.total_downloads,
        r.p95_speed_mbps,
      ]),
    );
  });

  it('quotes commas, quotes and newlines, and guards formulas in text columns', async () => {
    const titles = [
      'Commas, and more',
      'Say "hi"',
      'Two\nlines',
      '=HYPERLINK("http://x")',
      '-minus',
    ];
    await fx.database.pool.query(
      `INSERT INTO content_stats (window_start, window_end, source_partition, content_id, title, content_type,
         download_count, successful_downloads, failed_downloads, slow_downloads, bytes_downloaded)
       SELECT '2030-01-01T00:00:00Z', '2030-01-01T00:01:00Z', 0, 'c' || i, t, 'APP', 1, 1, 0, 0, -5
       FROM unnest($1::text[]) WITH ORDINALITY AS u(t, i)`,
      [titles],
    );
    const { text } = await getExport('content_stats', {
      from: '2030-01-01T00:00:00Z',
      to: '2030-01-01T00:01:00Z',
    });
    const rows = parseCsvObjects(text);
    expect(rows.map((r) => r.title)).toEqual([
      'Commas, and more',
      'Say "hi"',
      'Two\nlines',
      `'=HYPERLINK("http://x")`,
      `'-minus`,
    ]);
    // Numbers are never guarded.
    expect(rows.map((r) => r.bytes_downloaded)).toEqual(['-5', '-5', '-5', '-5', '-5']);
    expect(parseCsv(text)[0]).toContain('updated_at');
  });

  it('alerts by created_at, with an empty range giving just the header', async () => {
    const { text } = await getExport('alerts', {
      from: '2001-01-01T00:00:00Z',
      to: '2001-01-02T00:00:00Z',
    });
    expect(text).toBe(
      'id,rule_id,alert_type,severity,message,region,metric_value,threshold_value,episode_start,created_at,resolved_at,acknowledged,acknowledged_at\r\n',
    );
  });
});

describe('bad export requests', () => {
  const cases: Array<[string, Record<string, string>, string]> = [
    ['events', { from: TO, to: FROM }, 'to'],
    ['events', { from: FROM, to: FROM }, 'to'],
    ['no_such_table', { from: FROM, to: TO }, 'dataset'],
    ['%E0%A4%A', { from: FROM, to: TO }, 'dataset'],
    ['events', { from: FROM, to: TO, format: 'xml' }, 'format'],
    ['region_health', { from: FROM, to: TO, format: 'jsonl' }, 'format'],
    ['events', { from: 'yesterday', to: TO }, 'from'],
    ['events', { from: '2026-11-24T10:05:00', to: TO }, 'from'],
    ['events', { from: FROM }, 'to'],
    ['alerts', { from: FROM, to: TO, limit: '5' }, 'limit'],
  ];
  it.each(cases)('%s %j: 400 naming %s, JSON, no file', async (dataset, query, field) => {
    const started = fx.service.started;
    const { res, text } = await getExport(dataset, query);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['content-disposition']).toBeUndefined();
    expect(JSON.parse(text)).toMatchObject({ error: 'invalid parameter', field });
    // Refused before anything was opened.
    expect(fx.service.started).toBe(started);
  });

  it('needs the token; refuses foreign origins', async () => {
    const path = exportUrl('events', { from: FROM, to: TO });
    const anonymous = await openExport(fx.http.port, path, { token: null });
    expect(anonymous.statusCode).toBe(401);
    const refused: unknown = JSON.parse(await bodyText(anonymous));
    expectApiError(refused);
    expect(refused).toMatchObject({ error: 'unauthorized' });
    const wrong = await openExport(fx.http.port, path, { token: 'x'.repeat(40) });
    expect(wrong.statusCode).toBe(401);
    await bodyText(wrong);
  });
});

describe('a client that hangs up', () => {
  it('stops the table cursor: the connection leaves its transaction and the export is released', async () => {
    // 300,000 rows in a range of their own: far more than the socket buffers hold.
    await fx.database.pool.query(
      `INSERT INTO region_health (window_start, window_end, source_partition, region, total_downloads,
         successful_downloads, failed_downloads, slow_downloads, success_rate, error_rate,
         avg_speed_mbps, p95_speed_mbps, speed_sum_mbps)
       SELECT '2031-01-01T00:00:00Z'::timestamptz + g * interval '1 minute',
              '2031-01-01T00:01:00Z'::timestamptz + g * interval '1 minute',
              0, 'EU-London', 10, 9, 1, 0, 0.9, 0.1, 50, 90, 500
       FROM generate_series(0, 299999) AS g`,
    );
    const res = await openExport(
      fx.http.port,
      exportUrl('region_health', { from: '2031-01-01T00:00:00Z', to: '2032-01-01T00:00:00Z' }),
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-total-estimate']).toBe('300000');
    const inExport = async () => {
      const { rows } = await fx.database.pool.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1',
        [exportApplicationName('region_health')],
      );
      return rows[0]!.n;
    };
    // Read one chunk, then stop reading: the server fills the socket and waits for it to drain.
    await new Promise<void>((resolve) => res.once('data', () => resolve()));
    res.pause();
    expect(await inExport()).toBe(1);
    expect(fx.service.running).toBe(1);
    res.destroy();
    await waitFor('the export to be released', () => fx.service.running === 0);
    await waitFor('the cursor to be closed', async () => (await inExport()) === 0);
  });

  it('stops the log read of an events export', async () => {
    const res = await openExport(
      fx.http.port,
      exportUrl('events', {
        from: '2026-11-24T10:00:00Z',
        to: '2026-11-24T10:20:00Z',
        format: 'jsonl',
      }),
    );
    await new Promise<void>((resolve) => res.once('data', () => resolve()));
    res.pause();
    expect(fx.service.running).toBe(1);
    res.destroy();
    await waitFor('the export to be released', () => fx.service.running === 0);
  });
});
