/**
 * The JVM side: the java binary (checked once for the version Kafka needs), its logging flags
 * (3.x logs through reload4j, 4.x through log4j2), and running one of Kafka's Java classes (the
 * perf tests) with the fetched classpath.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireJava } from '../jvm/java.mjs';
import { fetchKafka } from './maven-fetch.mjs';
import { KafkaLocalError, resolveKafkaVersion } from './versions.mjs';

export async function javaBin(version) {
  const needed = Number(version.split('.')[0]) >= 4 ? 17 : 11;
  return requireJava({ minMajor: needed, who: `Kafka ${version}`, ErrorType: KafkaLocalError });
}

/** 3.x logs through reload4j (log4j 1 API), 4.x through log4j2. */
export function loggingOpts(paths, version) {
  const log4j2 = Number(version.split('.')[0]) >= 4;
  return [
    `-Dkafka.logs.dir=${paths.logsDir}`,
    log4j2
      ? `-Dlog4j2.configurationFile=${paths.log4j2}`
      : `-Dlog4j.configuration=file:${paths.log4j1}`,
  ];
}

/** Runs a Java class of Kafka `version` (e.g. the perf tests) with its classpath, inheriting stdio. */
export async function runKafkaClass({ version: requested, mainClass, args = [], log = () => {} }) {
  const version = resolveKafkaVersion(requested);
  const { classpath, libsDir } = await fetchKafka(version, { log });
  const java = await javaBin(version);
  // Tools log warnings and errors to stderr, as Kafka's tools-log4j config does.
  const toolsLog = join(libsDir, '..', 'tools-log');
  mkdirSync(toolsLog, { recursive: true });
  const paths = {
    logsDir: toolsLog,
    log4j1: join(toolsLog, 'log4j.properties'),
    log4j2: join(toolsLog, 'log4j2.xml'),
  };
  writeFileSync(
    paths.log4j1,
    [
      'log4j.rootLogger=WARN, stderr',
      'log4j.appender.stderr=org.apache.log4j.ConsoleAppender',
      'log4j.appender.stderr.Target=System.err',
      'log4j.appender.stderr.layout=org.apache.log4j.PatternLayout',
      'log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n',
      '',
    ].join('\n'),
  );
  writeFileSync(
    paths.log4j2,
    `<?xml version="1.0" encoding="UTF-8"?>
<Configuration status="WARN">
  <Appenders><Console name="stderr" target="SYSTEM_ERR"><PatternLayout pattern="[%d] %p %m (%c)%n"/></Console></Appenders>
  <Loggers><Root level="WARN"><AppenderRef ref="stderr"/></Root></Loggers>
</Configuration>
`,
  );
  const child = spawn(
    java,
    ['-Xmx512m', ...loggingOpts(paths, version), '-cp', classpath, mainClass, ...args],
    { stdio: 'inherit' },
  );
  return new Promise((resolveRun) => {
    child.once('exit', (code) => resolveRun(code ?? 1));
    child.once('error', (error) => {
      console.error(error.message);
      resolveRun(1);
    });
  });
}
