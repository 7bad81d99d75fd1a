/**
 * Options every command that touches the event log shares: the data dir, the embedded log's shape,
 * and Apache Kafka (`--kafka-brokers` switches the log to Kafka). They override the data dir's
 * settings.json for one run (command-settings.ts). Secrets never come as flags: the Kafka
 * password comes from STREAMPULSE_KAFKA_PASSWORD or a 0600 file.
 */
import { KAFKA_COMPRESSIONS, SASL_MECHANISMS } from '../log/kafka-settings';
import { PARTITIONER_NAMES } from '../log/partitioner';
import { DATA_DIR_OPTION, type FlagTable } from './cli-options';
import { settingFlag } from './settings-flags';

export const LOG_OPTIONS = {
  ...DATA_DIR_OPTION,
  partitions: settingFlag('partitions', {
    value: 'N',
    description: 'partitions of a new log or topic; an existing log keeps its own',
  }),
  partitioner: settingFlag('partitioner', {
    value: 'NAME',
    description: 'how regions map to partitions',
    choices: PARTITIONER_NAMES,
  }),
  'kafka-brokers': settingFlag('kafka-brokers', {
    value: 'LIST',
    description: 'use Apache Kafka as the event log: host:port[,host:port...]',
  }),
  'kafka-topic': settingFlag('kafka-topic', {
    value: 'NAME',
    description: 'the topic, created if missing',
  }),
  'kafka-compression': settingFlag('kafka-compression', {
    value: 'C',
    description: 'how our producer compresses record batches; every codec is read',
    choices: KAFKA_COMPRESSIONS,
  }),
  'kafka-tls': settingFlag('kafka-tls', { description: 'connect to Kafka with TLS' }),
  'kafka-ca': settingFlag('kafka-ca', {
    value: 'FILE',
    description: 'a CA certificate (PEM) for Kafka that is not a public one; implies --kafka-tls',
  }),
  'kafka-sasl': settingFlag('kafka-sasl', {
    value: 'MECH',
    description: 'SASL mechanism, with --kafka-username and a password',
    choices: SASL_MECHANISMS,
  }),
  'kafka-username': settingFlag('kafka-username', {
    value: 'NAME',
    description: 'the SASL username',
  }),
  'kafka-password-file': settingFlag('kafka-password-file', {
    value: 'FILE',
    description: 'a file (mode 0600) with the Kafka password, else STREAMPULSE_KAFKA_PASSWORD',
  }),
} as const satisfies FlagTable;
