#!/usr/bin/env node
/**
 * Produces poison records (bytes no Avro decoder accepts) to a topic, for checking that they land
 * in dead_letters and the engine goes on:
 *   node flink/job/verify/produce-poison.mjs BROKER TOPIC [PARTITIONS]
 * Per partition: a short text ('poison P'), an empty value, and 5,000 bytes of 0xff (more than the
 * 4,096-byte prefix a dead letter keeps).
 */
import { Producer, ProduceAcks } from '@platformatic/kafka';

const [broker, topic, partitionsArg] = process.argv.slice(2);
if (!broker || !topic) {
  console.error('usage: produce-poison.mjs BROKER TOPIC [PARTITIONS]');
  process.exit(2);
}
const partitions = Number(partitionsArg ?? 3);
const producer = new Producer({
  clientId: 'streampulse-poison',
  bootstrapBrokers: [broker],
  acks: ProduceAcks.ALL,
  partitioner: (message) => message.partition ?? 0,
});
const messages = [];
for (let partition = 0; partition < partitions; partition++) {
  for (const value of [
    Buffer.from(`poison ${partition}`),
    Buffer.alloc(0),
    Buffer.alloc(5000, 0xff),
  ]) {
    messages.push({
      topic,
      partition,
      key: Buffer.from('poison'),
      value,
      timestamp: BigInt(Date.now()),
    });
  }
}
const result = await producer.send({ messages });
console.log(
  `${messages.length} poison records produced:`,
  JSON.stringify(result.offsets, (k, v) => (typeof v === 'bigint' ? Number(v) : v)),
);
await producer.close();
