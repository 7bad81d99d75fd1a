/**
 * The Kafka versions this project checks, the short names --version accepts, and the error type
 * for broker problems meant for a person.
 */

/** The versions this project checks (tests/kafka/broker.test.ts runs against both). */
export const KAFKA_VERSIONS = Object.freeze(['3.9.1', '4.1.1']);
/** What `start` runs without --version: the newest checked version (see docs/kafka.md). */
export const DEFAULT_KAFKA_VERSION = '4.1.1';
/** Short names accepted for --version. */
const VERSION_ALIASES = new Map([
  ['3', '3.9.1'],
  ['3.9', '3.9.1'],
  ['4', '4.1.1'],
  ['4.1', '4.1.1'],
]);

/** A broker problem with a message meant for a person (no stack trace needed). */
export class KafkaLocalError extends Error {
  constructor(message) {
    super(message);
    this.name = 'KafkaLocalError';
  }
}

/** '3.9' → '3.9.1'; checks the shape and that SCRAM-at-format-time is supported (3.7+). */
export function resolveKafkaVersion(requested = DEFAULT_KAFKA_VERSION) {
  const version = VERSION_ALIASES.get(String(requested)) ?? String(requested);
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  if (!match) {
    throw new KafkaLocalError(
      `Kafka version "${requested}" is not of the form X.Y.Z (checked: ${KAFKA_VERSIONS.join(', ')}).`,
    );
  }
  const [major, minor] = [Number(match[1]), Number(match[2])];
  if (major < 3 || (major === 3 && minor < 7) || major > 4) {
    throw new KafkaLocalError(
      `Kafka ${version} is not supported here: KRaft with SCRAM users at format time needs 3.7 or ` +
        `newer, and only 3.x and 4.x are known (checked: ${KAFKA_VERSIONS.join(', ')}).`,
    );
  }
  return version;
}
