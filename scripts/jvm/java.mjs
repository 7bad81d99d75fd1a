/**
 * The java binary (JAVA_HOME's, else the one on PATH) and its major version, checked once per
 * process: the Kafka broker and the Flink cluster both need a minimum version.
 */
import { join } from 'node:path';
import { run } from '../kafka/support.mjs';

let javaChecked;

/**
 * The java binary, if it is at least Java `minMajor`; else throws `new ErrorType(message)` naming
 * `who` needs it.
 */
export async function requireJava({ minMajor, who, ErrorType = Error }) {
  const bin = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  javaChecked ??= run(bin, ['-version'], { timeoutMs: 30_000 }).then((result) => {
    if (result.error?.code === 'ENOENT') return { bin, major: -1 };
    const match = /version "(\d+)(?:\.(\d+))?/.exec(result.stderr);
    const major = match ? (match[1] === '1' ? Number(match[2]) : Number(match[1])) : 0;
    return { bin, major };
  });
  const { major } = await javaChecked;
  if (major === -1) {
    throw new ErrorType(
      `Java (${bin}) is not installed; ${who} needs Java ${minMajor} (set JAVA_HOME).`,
    );
  }
  if (major && major < minMajor) {
    throw new ErrorType(`${who} needs Java ${minMajor}+, but ${bin} is Java ${major}.`);
  }
  return bin;
}
