/**
 * The topic StreamPulse writes: created if missing with the settings' partitions and retention; an
 * existing one that differs is reported, never changed. Shared by KafkaEventLog.open and the
 * settings page's "test connection".
 */
import {
  Connection,
  ConfigResourceTypes,
  createTopicsV7,
  type Admin,
  type BaseOptions,
} from '@platformatic/kafka';
import { errorsWithin, type KafkaTopicSettings } from './kafka-settings';

export class KafkaTopicMismatchError extends Error {
  override readonly name = 'KafkaTopicMismatchError';
}

type TopicShape = Pick<KafkaTopicSettings, 'topic' | 'partitions' | 'retentionMs'>;

/** Creates the topic if it is missing; an existing one that differs is reported, never changed. */
export async function ensureTopic(
  admin: Admin,
  settings: TopicShape & Pick<KafkaTopicSettings, 'replicationFactor'>,
): Promise<void> {
  const existing = (await admin.listTopics()).includes(settings.topic);
  if (!existing) {
    try {
      await admin.createTopics({
        topics: [settings.topic],
        partitions: settings.partitions,
        replicas: settings.replicationFactor,
        configs: [{ name: 'retention.ms', value: String(settings.retentionMs) }],
      });
    } catch (error) {
      // Another client (a second StreamPulse starting) created it meanwhile, or the list lagged a
      // create of a moment ago: check it as existing.
      if (!/TOPIC_ALREADY_EXISTS|already exists/i.test(errorText(error))) throw error;
      await waitForLeaders(admin, settings.topic);
      const mismatch = await topicMismatch(admin, settings);
      if (mismatch) throw new KafkaTopicMismatchError(mismatch);
      return;
    }
    await waitForLeaders(admin, settings.topic);
    return;
  }
  const mismatch = await topicMismatch(admin, settings);
  if (mismatch) throw new KafkaTopicMismatchError(mismatch);
}

/**
 * How an existing topic differs from the settings (partitions, retention.ms), as the message a
 * KafkaTopicMismatchError carries; null when it matches.
 */
export async function topicMismatch(admin: Admin, settings: TopicShape): Promise<string | null> {
  const metadata = await admin.metadata({ topics: [settings.topic], forceUpdate: true });
  const partitions = metadata.topics.get(settings.topic)?.partitionsCount ?? 0;
  const [described] = await admin.describeConfigs({
    resources: [
      {
        resourceType: ConfigResourceTypes.TOPIC,
        resourceName: settings.topic,
        configurationKeys: ['retention.ms'],
      },
    ],
  });
  const retention = Number(described?.configs.find((c) => c.name === 'retention.ms')?.value);
  const problems: string[] = [];
  if (partitions !== settings.partitions)
    problems.push(`it has ${partitions} partitions, the settings say ${settings.partitions}`);
  if (retention !== settings.retentionMs)
    problems.push(`its retention.ms is ${retention}, the settings say ${settings.retentionMs}`);
  if (problems.length === 0) return null;
  return (
    `topic "${settings.topic}" exists but does not match: ${problems.join('; ')}. StreamPulse does not change an existing topic: ` +
    'change the settings to match it, or use another topic name.'
  );
}

/**
 * Whether the cluster would create the topic for this user (CreateTopics with validateOnly, on
 * one connection to the first broker: the admin client has no validate-only create). Resolves
 * true, or false when it exists already (this user may not see it); throws the broker's refusal
 * (an authorization or policy error).
 */
export async function topicCreatable(
  options: BaseOptions,
  settings: TopicShape & Pick<KafkaTopicSettings, 'replicationFactor'>,
): Promise<boolean> {
  const [address] = options.bootstrapBrokers;
  const { host, port } =
    typeof address === 'string' ? splitHostPort(address) : (address ?? { host: '', port: 0 });
  const connection = new Connection(options.clientId, {
    connectTimeout: options.connectTimeout,
    requestTimeout: options.requestTimeout,
    tls: options.tls,
    sasl: options.sasl,
  });
  try {
    await connection.connect(host, port);
    await createTopicsV7.api.async(
      connection,
      [
        {
          name: settings.topic,
          numPartitions: settings.partitions,
          replicationFactor: settings.replicationFactor,
          assignments: [],
          configs: [{ name: 'retention.ms', value: String(settings.retentionMs) }],
        },
      ],
      options.requestTimeout ?? 30_000,
      true,
    );
    return true;
  } catch (error) {
    if (/TOPIC_ALREADY_EXISTS|already exists/i.test(errorText(error))) return false;
    throw error;
  } finally {
    await connection.close().catch(() => undefined);
  }
}

/** Waits until every partition of a new topic has a leader (a produce before that is refused). */
async function waitForLeaders(admin: Admin, topic: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const metadata = await admin.metadata({ topics: [topic], forceUpdate: true }).catch(() => null);
    const partitions = metadata?.topics.get(topic)?.partitions ?? [];
    if (partitions.length > 0 && partitions.every((p) => p.leader >= 0)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `topic "${topic}" was created, but its partitions have no leader after 10 s: check the brokers' health`,
  );
}

export function splitHostPort(address: string): { host: string; port: number } {
  const colon = address.lastIndexOf(':');
  return {
    host: address.slice(0, colon).replace(/^\[(.*)\]$/, '$1'),
    port: Number(address.slice(colon + 1)),
  };
}

/** The messages and broker error ids of an error and everything it wraps. */
export function errorText(error: unknown): string {
  return errorsWithin(error)
    .map((e) => `${e.name} ${e.apiId ?? ''} ${e.message}`)
    .join(' | ');
}
