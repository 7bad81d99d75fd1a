/**
 * When a starting broker is ready: a TCP connect on PLAINTEXT, then the cluster metadata over
 * PLAINTEXT and over SASL_SSL (SCRAM, the CA), with StreamPulse's own Kafka client; and, when it
 * is not, the lines of its logs that say why.
 */
import { readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
// StreamPulse's own Kafka client (a plain import: nothing has to run before it loads).
import { Admin } from '@platformatic/kafka';
import { delay, splitAddress } from './support.mjs';
import { KafkaLocalError } from './versions.mjs';

/**
 * Ready = a TCP connect on PLAINTEXT, then the cluster metadata (with this broker in it) over
 * PLAINTEXT and over SASL_SSL with SCRAM and the CA.
 */
export async function waitForReady(broker, { deadline, hasExited, signal }) {
  let lastError = 'no answer yet';
  const checks = [
    { name: 'tcp', check: () => tcpConnect(broker.plaintext) },
    { name: 'PLAINTEXT metadata', check: () => clusterMetadata(plaintextOptions(broker)) },
    { name: 'SASL_SSL metadata', check: () => clusterMetadata(saslSslOptions(broker)) },
  ];
  for (const { name, check } of checks) {
    for (;;) {
      if (signal?.aborted) throw new KafkaLocalError('Interrupted while starting the broker.');
      if (hasExited())
        throw new KafkaLocalError(`The Kafka ${broker.version} broker exited while starting.`);
      if (Date.now() > deadline) {
        throw new KafkaLocalError(
          `The Kafka ${broker.version} broker was not ready in time (${name}: ${lastError}).`,
        );
      }
      try {
        await check();
        break;
      } catch (error) {
        lastError = rootMessages(error);
        await delay(100);
      }
    }
  }
}

function tcpConnect(address) {
  const [host, port] = splitAddress(address);
  return new Promise((resolveConnect, reject) => {
    const socket = createConnection({ host, port });
    socket.setTimeout(1_000, () => socket.destroy(new Error('connect timed out')));
    socket.once('connect', () => {
      socket.end();
      resolveConnect();
    });
    socket.once('error', reject);
  });
}

/** One Metadata request (no retries: waitForReady polls); fails until a broker is registered. */
async function clusterMetadata(options) {
  const admin = new Admin(options);
  try {
    const cluster = await admin.metadata({ topics: [], forceUpdate: true });
    if (cluster.brokers.size === 0) throw new Error('no brokers in the metadata yet');
  } finally {
    await admin.close().catch(() => {});
  }
}

function plaintextOptions(broker) {
  return {
    clientId: 'kafka-local-readiness',
    bootstrapBrokers: [broker.plaintext],
    connectTimeout: 2_000,
    requestTimeout: 5_000,
    retries: 0,
  };
}

function saslSslOptions(broker) {
  return {
    clientId: 'kafka-local-readiness',
    bootstrapBrokers: [broker.saslSsl],
    tls: { ca: [broker.caPem] },
    sasl: {
      mechanism: broker.scram.mechanism.toUpperCase(), // 'scram-sha-256' → 'SCRAM-SHA-256'
      username: broker.scram.username,
      password: broker.scram.password,
    },
    // connectTimeout bounds the TCP connect and TLS handshake; each SASL request, requestTimeout.
    connectTimeout: 3_000,
    requestTimeout: 5_000,
    retries: 0,
  };
}

/**
 * The innermost messages of a client error: @platformatic/kafka nests the cause (a refused
 * connection, a SASL failure) under aggregates ("Cannot connect to any broker.") and `cause`s.
 */
function rootMessages(error) {
  const leaves = new Set();
  const pending = [error];
  for (let seen = 0; pending.length > 0 && seen < 32; seen++) {
    const e = pending.shift();
    if (!e || typeof e !== 'object') {
      if (e !== undefined) leaves.add(String(e));
      continue;
    }
    const inner = [...(Array.isArray(e.errors) ? e.errors : []), ...(e.cause ? [e.cause] : [])];
    if (inner.length === 0) leaves.add(e.code ? `${e.message} (${e.code})` : String(e.message));
    pending.push(...inner);
  }
  return [...leaves].join('; ') || String(error);
}

export function brokerLogTail(paths) {
  const tail = (file, lines) => {
    try {
      return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  };
  const errors = tail(paths.serverLog, 400)
    .split('\n')
    .filter((line) => /\b(ERROR|FATAL)\b|Exception/.test(line))
    .slice(-8)
    .join('\n');
  const stdout = tail(paths.stdoutLog, 15);
  return [
    errors && `Last errors in ${paths.serverLog}:\n${errors}`,
    stdout && `Last lines of ${paths.stdoutLog}:\n${stdout}`,
    `(full log: ${paths.serverLog})`,
  ]
    .filter(Boolean)
    .join('\n');
}
