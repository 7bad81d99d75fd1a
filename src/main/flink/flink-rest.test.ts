/**
 * The REST client's errors, against real HTTP servers that are not a (working) Flink JobManager:
 * nothing listening, a server that answers something else, and a JobManager without jar uploads.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FlinkRest, FlinkRestError, lastCause } from './flink-rest';

let server: Server | null = null;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = null;
});

async function serve(handler: (path: string) => [number, string]): Promise<string> {
  server = createServer((req, res) => {
    const [status, body] = handler(req.url ?? '/');
    res.writeHead(status, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

async function failure(promise: Promise<unknown>): Promise<FlinkRestError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FlinkRestError);
  return error as FlinkRestError;
}

describe('the Flink REST client', () => {
  it('says the JobManager is unreachable, naming the address, when nothing listens', async () => {
    const url = await serve(() => [200, '{}']);
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = null;
    const error = await failure(new FlinkRest(url).overview());
    expect(error.problem).toBe('unreachable');
    expect(error.message).toContain(`the Flink JobManager at ${url} is unreachable (ECONNREFUSED)`);
  });

  it('tells a server that is not a Flink JobManager from one that is', async () => {
    const html = await serve(() => [200, '<html>hello</html>']);
    expect((await failure(new FlinkRest(html).overview())).problem).toBe('not-flink');
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    const other = await serve(() => [200, '{"status":"ok"}']);
    const error = await failure(new FlinkRest(other).overview());
    expect(error.problem).toBe('not-flink');
    expect(error.message).toMatch(/not as a Flink JobManager REST API/);
  });

  it('gives a deadline to a JobManager that does not answer', async () => {
    server = createServer(() => undefined); // accepts, never answers
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const error = await failure(new FlinkRest(url, 300).overview());
    expect(error.problem).toBe('timeout');
    expect(error.message).toContain('did not answer within 0.3 s');
    server.closeAllConnections();
  });

  it('says how to fix a cluster that takes no jar uploads', async () => {
    const url = await serve((path) =>
      path === '/jars' ? [404, '{"errors":["Not found: /jars"]}'] : [200, '{}'],
    );
    const error = await failure(new FlinkRest(url).uploadJar(__filename, 'x.jar'));
    expect(error.problem).toBe('no-uploads');
    expect(error.message).toMatch(/flink-runtime-web/);
  });

  it("passes on Flink's refusal with its root cause", async () => {
    const trace =
      'org.apache.flink.runtime.rest.handler.RestHandlerException: Could not execute application.\n\tat x\nCaused by: org.apache.flink.client.program.ProgramInvocationException: boom\nCaused by: java.lang.ClassNotFoundException: com.streampulse.flink.StreamPulseJob';
    const url = await serve(() => [500, JSON.stringify({ errors: [trace] })]);
    const error = await failure(
      new FlinkRest(url).runJar('j', { entryClass: 'x', programArgsList: [], parallelism: 1 }),
    );
    expect(error.problem).toBe('refused');
    expect(error.message).toContain('ClassNotFoundException: com.streampulse.flink.StreamPulseJob');
  });

  it('reads the root cause off a Java stack trace', () => {
    expect(
      lastCause(
        'java.lang.RuntimeException: top\n\tat a.b\nCaused by: org.postgresql.util.PSQLException: FATAL: password authentication failed for user "x"',
      ),
    ).toBe('PSQLException: FATAL: password authentication failed for user "x"');
    expect(lastCause('java.io.IOException: disk full\n\tat a')).toBe('IOException: disk full');
  });
});
