/** The Flink version the local cluster runs, and the error type for problems meant for a person. */

/** flink/cluster/pom.xml pins the same version: the two change together. */
export const FLINK_VERSION = '2.3.0';

/** A cluster problem with a message meant for a person (no stack trace needed). */
export class FlinkLocalError extends Error {
  constructor(message) {
    super(message);
    this.name = 'FlinkLocalError';
  }
}
