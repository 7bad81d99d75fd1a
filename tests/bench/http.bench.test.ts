/**
 * HTTP API benchmark: GET /api/stats/trending on loopback, 100 connections, 8 s each, against a
 * bare node:http server answering a similar JSON body. (a) cached: the read cache answers (the
 * handler, a 2 ms simulated query returning 5 titles, runs once per 2 s); (b) uncached: the same
 * server with `cache: false`, so every request validates, awaits the 2 ms query and serializes.
 * Targets: cached >= 50% of bare's req/s, cached p99 <= 10 ms.
 *
 * autocannon runs in its own process (its CLI with --json), the servers in this one: on the
 * 2-core machine the load generator and the server share the two cores, so the absolute figures
 * are lower than on a machine where the client runs elsewhere; the ratios are the point.
 */
import { Registry } from 'prom-client';
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import type { Result } from 'autocannon';
import { it } from 'vitest';
import { createFakeApi, FAKE_RESULTS } from '../../src/main/api/fake-handlers';
import { HttpServer } from '../../src/main/api/http-server';
import { silentLogger } from '../../src/main/logger';
import { BenchReport } from './bench-report';

const CONNECTIONS = 100;
const SECONDS = 8;
const WARMUP_SECONDS = 2;
const PATH = '/api/stats/trending';
const TOKEN = 'bench-token-0123456789abcdefghijklmnopqrstuvwxyz';

const run = promisify(execFile);
const autocannonCli = createRequire(import.meta.url).resolve('autocannon/autocannon.js');

async function autocannon(url: string, seconds: number): Promise<Result> {
  const { stdout } = await run(
    process.execPath,
    [autocannonCli, '-c', String(CONNECTIONS), '-d', String(seconds), '-j', '-n', url],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  return JSON.parse(stdout) as Result;
}

async function simulatedQuery(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 2));
}

async function startApi(cache: boolean) {
  const api = createFakeApi();
  api.replace('stats:trending', async () => {
    await simulatedQuery();
    return FAKE_RESULTS['stats:trending'];
  });
  const server = new HttpServer({
    port: 0,
    handlers: api.handlers,
    token: TOKEN,
    staticRoot: null,
    stream: { snapshot: () => ({}) },
    metrics: new Registry(),
    logger: silentLogger,
    version: 'bench',
    cache,
  });
  await server.start();
  return { server, api, url: `http://127.0.0.1:${server.port}${PATH}` };
}

/** The baseline: node:http answering the same body, with no routing, checks or cache. */
async function startBare(): Promise<{ server: Server; url: string }> {
  const body = JSON.stringify({ data: FAKE_RESULTS['stats:trending'], count: 5 });
  const server = createServer((_req, res) => {
    res.writeHead(200, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': String(Buffer.byteLength(body)),
    });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${PATH}` };
}

async function measure(url: string): Promise<Result> {
  await autocannon(url, WARMUP_SECONDS);
  const result = await autocannon(url, SECONDS);
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  }
  return result;
}

it('http: GET /api/stats/trending, cached and uncached, against bare node:http', async () => {
  const report = new BenchReport('http');

  const bare = await startBare();
  const bareResult = await measure(bare.url);
  await new Promise((resolve) => bare.server.close(resolve));

  const cached = await startApi(true);
  const cachedResult = await measure(cached.url);
  const cachedCalls = cached.api.count('stats:trending');
  await cached.server.stop();

  const uncached = await startApi(false);
  const uncachedResult = await measure(uncached.url);
  await uncached.server.stop();

  const bareRps = bareResult.requests.average;
  const note = `${CONNECTIONS} connections, ${SECONDS} s, autocannon and server share the 2 cores`;
  report.add('bare node:http: req/s', bareRps, 'req/s', note);
  report.add('bare node:http: p99 latency', bareResult.latency.p99, 'ms');
  report.add('cached: req/s', cachedResult.requests.average, 'req/s');
  report.add('cached: p99 latency', cachedResult.latency.p99, 'ms', 'target <= 10');
  report.add(
    'cached / bare req/s',
    cachedResult.requests.average / bareRps,
    'ratio',
    'target >= 0.50',
  );
  report.add(
    'cached: handler calls',
    cachedCalls,
    'calls',
    `over ${WARMUP_SECONDS + SECONDS} s of warm-up and run: about one per 2 s`,
  );
  report.add('uncached (cache: false): req/s', uncachedResult.requests.average, 'req/s');
  report.add('uncached: p99 latency', uncachedResult.latency.p99, 'ms', 'includes the 2 ms query');
  report.add('uncached / bare req/s', uncachedResult.requests.average / bareRps, 'ratio');
  report.write();
});
