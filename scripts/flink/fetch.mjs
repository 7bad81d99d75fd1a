/**
 * Fetch: Maven copies the runtime dependencies of flink/cluster/pom.xml (flink-dist is not on
 * Maven Central) into ~/.cache/streampulse/flink/<version>/lib, once. A marker file written last
 * says the copy is complete and for which pom, so a half-done fetch or an edited pom fetches again.
 */
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEPENDENCY_PLUGIN, runMaven } from '../jvm/maven.mjs';
import { mib, readJson, seconds, withLock } from '../kafka/support.mjs';
import { FLINK_VERSION, FlinkLocalError } from './versions.mjs';

export const CLUSTER_POM = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../flink/cluster/pom.xml',
);

/** ~/.cache/streampulse/flink (STREAMPULSE_FLINK_CACHE overrides); one folder per version below. */
export function flinkCacheRoot() {
  if (process.env.STREAMPULSE_FLINK_CACHE) return resolve(process.env.STREAMPULSE_FLINK_CACHE);
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'streampulse', 'flink');
}

/**
 * The cluster's lib/ (downloaded on first use).
 * @returns {Promise<{ version: string, libDir: string, classpath: string, downloaded: boolean,
 *   jars: number, bytes: number, ms: number }>}
 */
export async function fetchFlink({ log = () => {} } = {}) {
  const version = FLINK_VERSION;
  const dir = join(flinkCacheRoot(), version);
  const libDir = join(dir, 'lib');
  const stampFile = join(dir, 'complete.json');
  const pomHash = createHash('sha256').update(readFileSync(CLUSTER_POM)).digest('hex');
  const result = (stamp, downloaded, ms) => ({
    version,
    libDir,
    classpath: join(libDir, '*'),
    downloaded,
    jars: stamp.jars.length,
    bytes: stamp.bytes,
    ms,
  });
  const cached = () => {
    const stamp = readJson(stampFile);
    if (!stamp || stamp.pomHash !== pomHash || !Array.isArray(stamp.jars)) return null;
    if (!stamp.jars.every((jar) => existsSync(join(libDir, jar)))) return null;
    return result(stamp, false, 0);
  };
  const hit = cached();
  if (hit) return hit;

  mkdirSync(dir, { recursive: true });
  return withLock(join(dir, '.fetch.lock'), async () => {
    const again = cached(); // another process may have fetched it while we waited for the lock
    if (again) return again;
    const started = Date.now();
    log(
      `Fetching Apache Flink ${version}'s lib from Maven Central into ${libDir} (first use only)…`,
    );
    // Copy into a staging folder and rename it: lib/ is either complete or absent.
    const staging = join(dir, `lib.tmp-${process.pid}`);
    rmSync(staging, { recursive: true, force: true });
    await runMaven(
      [
        '-f',
        CLUSTER_POM,
        `${DEPENDENCY_PLUGIN}:copy-dependencies`,
        `-DoutputDirectory=${staging}`,
        '-DincludeScope=runtime',
      ],
      { subject: `Flink ${version}'s lib`, cacheDir: flinkCacheRoot(), ErrorType: FlinkLocalError },
    );
    const jars = readdirSync(staging).filter((name) => name.endsWith('.jar'));
    for (const main of [`flink-runtime-${version}.jar`, `flink-runtime-web-${version}.jar`]) {
      if (!jars.includes(main)) throw new FlinkLocalError(`Maven did not fetch ${main}.`);
    }
    const bytes = jars.reduce((sum, jar) => sum + statSync(join(staging, jar)).size, 0);
    rmSync(libDir, { recursive: true, force: true });
    renameSync(staging, libDir);
    const ms = Date.now() - started;
    const stamp = { version, pomHash, jars, bytes, fetchedInMs: ms };
    writeFileSync(stampFile, JSON.stringify(stamp, null, 2));
    log(`Fetched Flink ${version}'s lib: ${jars.length} jars, ${mib(bytes)} in ${seconds(ms)}.`);
    return result(stamp, true, ms);
  });
}
