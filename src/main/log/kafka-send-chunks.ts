/** How one append's messages for a partition are cut into produce requests. */

/**
 * At most this many messages, and this many bytes of keys and values, per partition in one
 * produce request: one record batch, well under the brokers' default `message.max.bytes` (1 MiB,
 * Confluent Cloud's too). Large requests cost less CPU a record, in the client and in the broker,
 * and fewer round trips suit a remote cluster (docs/BENCHMARKS.md).
 */
const SEND_CHUNK = 4000;
const SEND_CHUNK_BYTES = 512 * 1024;
/** A partition's messages cut into requests' shares: SEND_CHUNK messages, SEND_CHUNK_BYTES. */
export function sendChunks<M extends { key: Buffer; value: Buffer }>(
  messages: readonly M[],
): M[][] {
  const chunks: M[][] = [];
  let chunk: M[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = message.key.length + message.value.length;
    if (chunk.length > 0 && (chunk.length >= SEND_CHUNK || bytes + size > SEND_CHUNK_BYTES)) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(message);
    bytes += size;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}
