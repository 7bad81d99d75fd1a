/**
 * Exports over real data: a data dir filled by `streampulse run` (an embedded log and an embedded
 * PostgreSQL with its tables), an ExportService over them, and the HTTP server with it; plus an
 * independent read of the whole log to check exports against, and a streaming GET that can hang
 * up in the middle.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, TEST_TOKEN, type TestServer } from './http-test-support';
import { DEFAULT_ENGINE_CONFIG } from '../../src/main/engine/engine-config';
import { DownloadEventCodec } from '../../src/main/events/download-event-codec';
import type { LogEvent } from '../../src/main/export/event-rows';
import { ExportService, eventsInProcess } from '../../src/main/export/export-service';
import { openEventLog, type LogBackend } from '../../src/main/log/open-event-log';
import { silentLogger } from '../../src/main/logger';
import { openDatabase, type Database } from '../../src/main/store/database';
import { runCliInProcess } from './run-cli-in-process';

export interface ExportFixture {
  readonly dataDir: string;
  readonly backend: LogBackend;
  readonly database: Database;
  readonly service: ExportService;
  readonly http: TestServer;
  close(): Promise<void>;
}

/** `run` over `args` into a fresh data dir, then the database and the server on it. */
export async function startExportFixture(runArgs: readonly string[]): Promise<ExportFixture> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sp-export-'));
  chmodSync(dataDir, 0o755);
  const run = await runCliInProcess(['run', ...runArgs, '--data-dir', dataDir]);
  if (run.code !== 0) throw new Error(`run failed: ${run.stderr}`);
  const backend: LogBackend = { kind: 'embedded', dataDir, partitions: 3, partitioner: 'region' };
  const database = await openDatabase({ kind: 'embedded', dataDir, logger: silentLogger });
  const service = new ExportService({
    pool: () => database.pool,
    prepareEvents: eventsInProcess(() => openEventLog(backend, { readOnly: true }), silentLogger),
    engine: () => DEFAULT_ENGINE_CONFIG,
    logger: silentLogger,
  });
  const http = await startTestServer({ exports: service });
  return {
    dataDir,
    backend,
    database,
    service,
    http,
    close: async () => {
      await http.server.stop();
      await database.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Every event of the log, each partition start to end: the reference for an export. */
export async function readWholeLog(backend: LogBackend): Promise<LogEvent[]> {
  const log = await openEventLog(backend, { readOnly: true });
  const codec = new DownloadEventCodec();
  const events: LogEvent[] = [];
  try {
    for (const { partition, offset: end } of await log.endOffsets()) {
      for (let offset = 0; offset < end;) {
        const fetched = await log.read(partition, offset);
        for (const r of fetched.records)
          events.push({ partition, offset: r.offset, event: codec.decode(r.value) });
        offset = fetched.nextOffset;
      }
    }
  } finally {
    await log.close();
  }
  return events;
}

export function exportUrl(dataset: string, query: Record<string, string>): string {
  return `/api/export/${dataset}?${new URLSearchParams(query).toString()}`;
}

/** A GET with the token whose response is handed over as it starts (headers, body unread). */
export function openExport(
  port: number,
  path: string,
  options: { method?: string; token?: string | null } = {},
): Promise<IncomingMessage> {
  const headers: Record<string, string> = { Host: `127.0.0.1:${port}` };
  const token = options.token === undefined ? TEST_TOKEN : options.token;
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers, agent: false },
      resolve,
    );
    req.on('error', reject);
    req.end();
  });
}

/** The whole body as text. */
export async function bodyText(res: IncomingMessage): Promise<string> {
  res.setEncoding('utf8');
  let text = '';
  for await (const chunk of res) text += chunk as string;
  return text;
}
