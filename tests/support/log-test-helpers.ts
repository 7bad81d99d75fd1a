/**
 * Shared fixtures for the log's tests (not used by production code): temp dirs that clean up
 * after themselves, and PackedRecords built from readable rows.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PackedRecords } from '../../src/main/log/event-log';

import { REGIONS } from '../../src/shared/domain';

export { REGIONS };

export interface Row {
  readonly key: string;
  readonly timestamp: number;
  readonly value: string;
}

/** Packs rows the way the generator does: one values buffer, end offsets, typed timestamps. */
export function pack(rows: readonly Row[]): PackedRecords {
  const values = Buffer.concat(rows.map((row) => Buffer.from(row.value, 'utf8')));
  const valueEnds = new Uint32Array(rows.length);
  let end = 0;
  rows.forEach((row, i) => (valueEnds[i] = end += Buffer.byteLength(row.value, 'utf8')));
  return {
    count: rows.length,
    keys: rows.map((row) => row.key),
    timestamps: Float64Array.from(rows.map((row) => row.timestamp)),
    values,
    valueEnds,
  };
}

/** `count` rows cycling through the regions, values naming their sequence number. */
export function regionRows(
  count: number,
  options: { first?: number; timestamp?: number } = {},
): Row[] {
  const first = options.first ?? 0;
  const timestamp = options.timestamp ?? 1_700_000_000_000;
  return Array.from({ length: count }, (_, i) => ({
    key: REGIONS[(first + i) % REGIONS.length]!,
    timestamp: timestamp + i,
    value: `event-${first + i}`,
  }));
}

/** A fresh temp dir per call; call the returned cleanup in afterEach. */
export function makeTempDirs(): { make(): string; cleanup(): void } {
  const dirs: string[] = [];
  return {
    make() {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sp-log-'));
      dirs.push(dir);
      return dir;
    },
    cleanup() {
      for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Segment files of a partition, oldest first, as absolute paths. */
export function segmentFiles(
  logDir: string,
  partition: number,
  topic = 'content-downloads',
): string[] {
  const dir = path.join(logDir, topic, `p${partition}`);
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.seg'))
    .sort()
    .map((name) => path.join(dir, name));
}

/** Warnings collected from the log's logger. */
export function collectingLogger(): { warn(message: string): void; messages: string[] } {
  const messages: string[] = [];
  return { messages, warn: (message: string) => void messages.push(message) };
}
