#!/usr/bin/env node
/**
 * Writes the built-in engine's 700 p95 bucket values (src/main/engine/speed-histogram.ts's
 * bucketValue, computed by V8) to flink/job/src/main/resources/streampulse/speed-bucket-values.txt,
 * one shortest round-trip decimal a line. The Flink job reads its p95 values from that file:
 * V8's Math.pow and Java's StrictMath.pow differ in the last bit for 76 of the 700 buckets, and
 * Java's Math.pow is only platform-specific, so the table is the one exact mirror.
 * Run again (node flink/job/scripts/speed-bucket-values.mjs) if speed-histogram.ts changes.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BUCKETS, bucketValue } from '../../../src/main/engine/speed-histogram.ts';

const out = fileURLToPath(
  new URL('../src/main/resources/streampulse/speed-bucket-values.txt', import.meta.url),
);
const lines = [];
for (let i = 0; i < BUCKETS; i++) lines.push(String(bucketValue(i)));
writeFileSync(out, lines.join('\n') + '\n');
console.log(`${BUCKETS} bucket values written to ${out}`);
