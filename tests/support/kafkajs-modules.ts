/**
 * kafkajs's own modules next to their replacements (src/main/log/kafka-wire/), for the tests and
 * the benchmark that compare the two.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import '../../src/main/log/kafkajs'; // installs the replacements
import { ORIGINAL } from '../../src/main/log/kafka-wire/kafkajs-fast-paths';

export const load = createRequire(import.meta.url);

/** A file under kafkajs's src/. */
export const kafkajsSource = (path: string): string =>
  join(dirname(load.resolve('kafkajs/package.json')), 'src', path);

/** The module kafkajs loads from `path` now, and the kafkajs original it replaced (if it did). */
export function kafkajsModules<T>(path: string): { current: T; original: T } {
  const current = load(kafkajsSource(path)) as T & { [ORIGINAL]?: T };
  return { current, original: current[ORIGINAL] ?? current };
}

/** kafkajs's Long (BigInt-backed), as its producer passes producer ids. */
export const KafkaLong = load(kafkajsSource('utils/long.js')) as {
  fromValue(value: unknown): { toString(): string };
};
