/**
 * Kafka's own command-line tools (the console producer and consumer) from the broker's jars, for
 * checking our topics from outside: what they write we must read, and what we write they must.
 */
import { spawn } from 'node:child_process';
import { fetchKafka } from '../../scripts/kafka/broker.mjs';

const TOOL_CLASSES = {
  'console-producer': (version: string) =>
    version.startsWith('3.')
      ? 'kafka.tools.ConsoleProducer'
      : 'org.apache.kafka.tools.ConsoleProducer',
  'console-consumer': () => 'org.apache.kafka.tools.consumer.ConsoleConsumer',
  'consumer-groups': () => 'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand',
} as const;

export interface ToolRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `tool` of Kafka `version` with `args`, `input` on its stdin; resolves when it exits. */
export async function runKafkaTool(
  version: string,
  tool: keyof typeof TOOL_CLASSES,
  args: readonly string[],
  { input = '', timeoutMs = 60_000 }: { input?: string; timeoutMs?: number } = {},
): Promise<ToolRun> {
  const { classpath } = await fetchKafka(version);
  const java = process.env.JAVA_HOME ? `${process.env.JAVA_HOME}/bin/java` : 'java';
  const child = spawn(java, ['-Xmx256m', '-cp', classpath, TOOL_CLASSES[tool](version), ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(input);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  clearTimeout(timer);
  return { code, stdout, stderr };
}
