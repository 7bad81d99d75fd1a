/**
 * Where the Flink job's jar is: STREAMPULSE_FLINK_JOB_JAR, else `flink/job/target/` of the project
 * (built by `npm run flink:build`), found by walking up from this module as `sql/` is. Its name on
 * the cluster carries a hash of its bytes, so a changed jar is uploaded again and an unchanged one
 * is reused.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FLINK_JOB_JAR = join('flink', 'job', 'target', 'streampulse-flink-job.jar');

export function flinkJobJar(
  env: NodeJS.ProcessEnv = process.env,
  from: string = import.meta.url,
): string {
  const given = env.STREAMPULSE_FLINK_JOB_JAR;
  if (given) {
    if (!existsSync(given))
      throw new Error(`STREAMPULSE_FLINK_JOB_JAR names ${given}, which does not exist`);
    return given;
  }
  const start = dirname(from.startsWith('file:') ? fileURLToPath(from) : from);
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, FLINK_JOB_JAR))) return join(dir, FLINK_JOB_JAR);
    if (existsSync(join(dir, 'package.json')) || dirname(dir) === dir) break;
  }
  throw new Error(
    `the Flink job's jar is not built (${FLINK_JOB_JAR}): run npm run flink:build (needs Java 17 and Maven), or set STREAMPULSE_FLINK_JOB_JAR`,
  );
}

/** The name the jar gets on the cluster: `streampulse-flink-job-<first 12 hex of its SHA-256>.jar`. */
export function uploadName(jarPath: string): string {
  const hash = createHash('sha256').update(readFileSync(jarPath)).digest('hex').slice(0, 12);
  return `streampulse-flink-job-${hash}.jar`;
}
