#!/usr/bin/env node
/**
 * Produces valid DownloadEvents whose event time is AHEAD_MS past the wall clock (a clock gone
 * wrong), COUNT per partition, for checking the future bound (late_events with reason 'future'):
 *   node flink/job/verify/produce-future.mjs BROKER TOPIC [PARTITIONS] [AHEAD_MS] [COUNT]
 */
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import avro from 'avsc';
import { Producer, ProduceAcks } from '@platformatic/kafka';

const [broker, topic, partitionsArg, aheadArg, countArg] = process.argv.slice(2);
if (!broker || !topic) {
  console.error('usage: produce-future.mjs BROKER TOPIC [PARTITIONS] [AHEAD_MS] [COUNT]');
  process.exit(2);
}
const partitions = Number(partitionsArg ?? 3);
const ahead = Number(aheadArg ?? 24 * 3600 * 1000);
const count = Number(countArg ?? 2);
const schema = JSON.parse(
  readFileSync(new URL('../../../src/main/events/download-event.avsc', import.meta.url), 'utf8'),
);
const type = avro.Type.forSchema(schema);
const messages = [];
for (let partition = 0; partition < partitions; partition++) {
  for (let i = 0; i < count; i++) {
    const eventTime = Date.now() + ahead + i * 1000;
    const value = type.toBuffer({
      eventId: randomBytes(16),
      eventTime,
      userId: 'future-user',
      content: {
        contentId: 'future-content',
        title: 'From the future',
        type: 'APP',
        sizeBytes: 1000,
      },
      region: 'EU-London',
      device: { type: 'MAC', os: 'MACOS', osVersion: '15.0' },
      network: 'WIFI',
      status: 'SUCCESS',
      speedMbps: 50,
      durationMs: 1000,
      bytesDownloaded: 1000,
      errorCode: null,
    });
    // The record's timestamp is now: brokers refuse timestamps over an hour ahead (message.timestamp.after.max.ms).
    messages.push({
      topic,
      partition,
      key: Buffer.from('EU-London'),
      value,
      timestamp: BigInt(Date.now()),
    });
  }
}
const producer = new Producer({
  clientId: 'streampulse-future',
  bootstrapBrokers: [broker],
  acks: ProduceAcks.ALL,
  partitioner: (message) => message.partition ?? 0,
});
await producer.send({ messages });
console.log(`${messages.length} events ${ahead} ms in the future produced to ${topic}`);
await producer.close();
