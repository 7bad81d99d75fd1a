/** Types of ./broker.mjs (the local Kafka broker), for the TypeScript test fixture. */

export declare const KAFKA_VERSIONS: readonly string[];
export declare const DEFAULT_KAFKA_VERSION: string;
export declare const SCRAM_USERNAME: string;

export declare class KafkaLocalError extends Error {}

export declare function resolveKafkaVersion(requested?: string): string;
export declare function kafkaCacheRoot(): string;

export interface FetchedKafka {
  version: string;
  libsDir: string;
  /** `<libsDir>/*`, for `java -cp`. */
  classpath: string;
  /** false when it came from the cache. */
  downloaded: boolean;
  jars: number;
  bytes: number;
  ms: number;
}

export declare function fetchKafka(
  version?: string,
  options?: { log?: (line: string) => void },
): Promise<FetchedKafka>;

export interface RunningBroker {
  version: string;
  dataDir: string;
  /** '127.0.0.1:port' */
  plaintext: string;
  /** '127.0.0.1:port' */
  saslSsl: string;
  /** '127.0.0.1:port' */
  controller: string;
  /** Path of the CA certificate (PEM). */
  caFile: string;
  /** The CA certificate (PEM text). */
  caPem: string;
  scram: { username: string; password: string; mechanism: 'scram-sha-256' };
  clusterId: string;
  serverLog: string;
  stdoutLog: string;
  clientProperties: string;
  pid: number;
  /** From provisioning to ready, in ms. */
  startMs: number;
  /** Resolves with the exit code once the JVM has exited. */
  exited: Promise<number | null>;
  stop(options?: { timeoutMs?: number }): Promise<void>;
}

export declare function startBroker(options: {
  version?: string;
  dataDir: string;
  /** Fail rather than move to other ports when the data dir's ports are taken (restart). */
  keepPorts?: boolean;
  timeoutMs?: number;
  log?: (line: string) => void;
  /** Aborting it while the broker starts stops the JVM and rejects. */
  signal?: AbortSignal;
}): Promise<RunningBroker>;

export declare function runKafkaClass(options: {
  version?: string;
  mainClass: string;
  args?: string[];
  log?: (line: string) => void;
}): Promise<number>;

export declare function makeTempDataDir(prefix?: string): string;
export declare function mib(bytes: number): string;
export declare function seconds(ms: number): string;
