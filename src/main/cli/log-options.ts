/**
 * Options every command that touches the event log shares: the data dir, the embedded log's shape,
 * and Apache Kafka (`--kafka-brokers` switches the log to Kafka). They override the data dir's
 * settings.json for one run (command-settings.ts). Secrets never come as flags: the Kafka
 * password comes from STREAMPULSE_KAFKA_PASSWORD or a 0600 file.
 */
import {
  DEFAULT_KAFKA_COMPRESSION,
  DEFAULT_KAFKA_TOPIC,
  KAFKA_COMPRESSIONS,
  SASL_MECHANISMS,
} from '../log/kafka-settings';
import { PARTITIONER_NAMES } from '../log/partitioner';

export const LOG_OPTIONS = {
  'data-dir': { type: 'string' },
  partitions: { type: 'string' },
  partitioner: { type: 'string' },
  'kafka-brokers': { type: 'string' },
  'kafka-topic': { type: 'string' },
  'kafka-compression': { type: 'string' },
  'kafka-tls': { type: 'boolean' },
  'kafka-ca': { type: 'string' },
  'kafka-sasl': { type: 'string' },
  'kafka-username': { type: 'string' },
  'kafka-password-file': { type: 'string' },
} as const;

export const LOG_OPTIONS_HELP = `  --data-dir DIR        where data lives (default: $STREAMPULSE_DATA_DIR, else the OS's app data dir)
  --partitions N        partitions of a new log or topic (default 3; an existing log keeps its own)
  --partitioner NAME    ${PARTITIONER_NAMES.join(' | ')}: how regions map to partitions (default region)
  --kafka-brokers LIST  use Apache Kafka as the event log: host:port[,host:port...]
  --kafka-topic NAME    the topic (default ${DEFAULT_KAFKA_TOPIC.topic}; created if missing)
  --kafka-compression C ${KAFKA_COMPRESSIONS.join(' | ')}: how our producer compresses record
                        batches (default ${DEFAULT_KAFKA_COMPRESSION}; every codec is read)
  --kafka-tls           connect with TLS; --kafka-ca FILE for a CA certificate (PEM) that is not public
  --kafka-sasl MECH     ${SASL_MECHANISMS.join(' | ')}, with --kafka-username NAME; the password from
                        $STREAMPULSE_KAFKA_PASSWORD or --kafka-password-file FILE (mode 0600)`;
