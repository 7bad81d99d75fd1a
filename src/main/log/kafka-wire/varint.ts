/**
 * Kafka's variable-length integers (protobuf style: zig-zag, then 7 bits a byte, low first), on
 * plain numbers. kafkajs goes through a BigInt-backed Long for every varlong; the values a record
 * carries (lengths, offset and timestamp deltas) fit a double exactly, so numbers suffice.
 */

/** Zig-zag: 0, -1, 1, -2 … → 0, 1, 2, 3 …; exact for |value| < 2^52. */
export function zigZag(value: number): number {
  return value >= 0 ? value * 2 : -value * 2 - 1;
}

export function unZigZag(encoded: number): number {
  return encoded % 2 === 0 ? encoded / 2 : -(encoded + 1) / 2;
}

/** Bytes an unsigned (already zig-zagged) varint takes. */
export function varIntSize(encoded: number): number {
  let size = 1;
  while (encoded >= 128) {
    encoded = Math.floor(encoded / 128);
    size++;
  }
  return size;
}

/** Writes an unsigned (already zig-zagged) varint at `at`; returns the offset after it. */
export function writeVarInt(out: Uint8Array, at: number, encoded: number): number {
  while (encoded >= 128) {
    out[at++] = (encoded % 128) | 0x80;
    encoded = Math.floor(encoded / 128);
  }
  out[at++] = encoded;
  return at;
}
