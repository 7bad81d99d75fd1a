/**
 * Maven, as the local Kafka broker and Flink cluster use it: `mvn -B -q` with a pinned
 * dependency plugin, and its failures turned into one message a person can act on (Maven missing,
 * Maven Central unreachable, an artifact not served) instead of Maven's full output.
 */
import { run } from '../kafka/support.mjs';

/** Pinned, so every machine resolves the same way (Maven 3.8's default for the prefix is 2.8). */
export const DEPENDENCY_PLUGIN = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1';

/**
 * Runs Maven; resolves when it exits 0, else throws `new ErrorType(message)`.
 * @param {string[]} args
 * @param {{ subject: string, cacheDir: string, ErrorType?: new (message: string) => Error }} options
 *   subject names what is fetched in messages ("Kafka 4.1.1", "Flink 2.3.0's lib"); cacheDir is
 *   where the jars end up once fetched.
 */
export async function runMaven(args, { subject, cacheDir, ErrorType = Error }) {
  const bin = process.env.MVN || 'mvn';
  const result = await run(bin, ['-B', '-q', ...args], { timeoutMs: 15 * 60_000 });
  if (result.error?.code === 'ENOENT') {
    throw new ErrorType(
      `Maven (${bin}) is not installed; it fetches ${subject} (apt-get install maven, or set MVN).`,
    );
  }
  if (result.code === 0) return;
  const output = `${result.stdout}\n${result.stderr}`;
  const errorLines = output
    .split('\n')
    // eslint-disable-next-line no-control-regex -- ANSI colours, should a settings.xml turn them on
    .map((line) => line.replace(/\u001b\[[0-9;]*m/g, '').trim())
    .filter((line) => line.startsWith('[ERROR]') && line.length > 8)
    .filter((line) => !/Re-run Maven|re-run Maven|For more information|\[Help 1\] http/.test(line))
    .map((line) => line.replace(/ -> \[Help 1\]$/, ''));
  const detail =
    errorLines.slice(0, 3).join('\n  ') || output.trim().split('\n').slice(-5).join('\n  ');
  if (result.timedOut) {
    throw new ErrorType(`Maven timed out fetching ${subject}.\n  ${detail}`);
  }
  if (
    /UnknownHost|Connection refused|Connect to .* failed|timed out|Network is unreachable|Could not transfer artifact|transfer failed|No route to host|PKIX path/i.test(
      output,
    )
  ) {
    throw new ErrorType(
      `Maven could not download ${subject}: Maven Central seems unreachable ` +
        `(check the network, a proxy in ~/.m2/settings.xml, or run once where it is reachable; ` +
        `the jars are then cached in ${cacheDir}).\n  ${detail}`,
    );
  }
  if (/Could not find artifact|was not found in|Could not resolve dependencies/i.test(output)) {
    throw new ErrorType(
      `${subject} could not be resolved on Maven Central (is it a released version?).\n  ${detail}`,
    );
  }
  throw new ErrorType(`Maven failed (exit ${result.code}) fetching ${subject}.\n  ${detail}`);
}
