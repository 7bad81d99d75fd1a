/**
 * kafkajs, loaded once its hot paths are replaced (kafka-wire/kafkajs-fast-paths.ts). Code that
 * uses kafkajs's values imports them from here, never from 'kafkajs' itself (ESLint enforces it),
 * so the replacements are in place before kafkajs loads. Types may come from 'kafkajs'.
 */
import { createRequire } from 'node:module';
import type * as KafkaJS from 'kafkajs';
import { installKafkajsFastPaths } from './kafka-wire/kafkajs-fast-paths';

const load = createRequire(import.meta.url);

/** What was replaced, for the tests and benchmarks. */
export const kafkajsFastPaths = installKafkajsFastPaths(load);
// Not an error (kafkajs works either way), but slower: say so once, on stderr.
if (kafkajsFastPaths.skipped && process.env.STREAMPULSE_KAFKAJS_FAST_PATHS !== '0')
  process.emitWarning(kafkajsFastPaths.skipped, { code: 'STREAMPULSE_KAFKAJS_FAST_PATHS' });

const kafkajs = load('kafkajs') as typeof KafkaJS;
export default kafkajs;
export const { Kafka, logLevel, ConfigResourceTypes } = kafkajs;
