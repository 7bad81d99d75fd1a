/**
 * Opening a Kafka log against a listener that accepts connections and never answers (a stuck
 * proxy, a firewall that lets the handshake through): a clear error within the open deadline,
 * not the client's nested retries of 30 s requests.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { KafkaEventLog, OPEN_TIMEOUT_MS } from './kafka-event-log';
import { DEFAULT_KAFKA_TOPIC, KafkaConnectionError } from './kafka-settings';

let server: Server;
const sockets: Socket[] = [];
beforeAll(async () => {
  server = createServer((socket) => sockets.push(socket)); // reads nothing, says nothing
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => server.close(resolve));
});

it('fails within the open deadline, naming the broker, when a listener never answers', async () => {
  const { port } = server.address() as { port: number };
  const began = Date.now();
  const opened = KafkaEventLog.open(
    { brokers: [`127.0.0.1:${port}`] },
    { ...DEFAULT_KAFKA_TOPIC, partitioner: 'region' },
  );
  const error = await opened.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KafkaConnectionError);
  expect((error as KafkaConnectionError).kind).toBe('unreachable');
  expect((error as Error).message).toContain(`127.0.0.1:${port}`);
  expect(Date.now() - began).toBeLessThanOrEqual(OPEN_TIMEOUT_MS + 2000);
}, 60_000);
