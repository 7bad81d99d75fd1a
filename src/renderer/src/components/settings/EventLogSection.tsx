/** Event log: embedded or Kafka; partitions and partitioner; Kafka's connection, TLS and SASL. */
import { memo } from 'react';
import { KAFKA_COMPRESSION_SETTINGS, SASL_MECHANISM_NAMES } from '../../../../shared/settings';
import { ConnectionTest } from './ConnectionTest';
import {
  CheckboxField,
  NumberField,
  RadioField,
  SecretField,
  SelectField,
  TextAreaField,
  TextField,
} from './fields';
import { useSettings } from './settings-context';
import { SettingsSection } from './SettingsSection';

const SASL_LABELS: Readonly<Record<(typeof SASL_MECHANISM_NAMES)[number], string>> = {
  none: 'None',
  plain: 'PLAIN',
  'scram-sha-256': 'SCRAM-SHA-256',
  'scram-sha-512': 'SCRAM-SHA-512',
};

export const EventLogSection = memo(function EventLogSection(): React.JSX.Element {
  const backend = useSettings((s) => s.form?.log.backend);
  const tls = useSettings((s) => s.form?.log.kafka.tls ?? false);
  const sasl = useSettings((s) => s.form?.log.kafka.sasl ?? 'none');
  return (
    <SettingsSection
      title="Event log"
      name="event-log"
      subtitle="Where the generator's events go and the engine reads them from"
    >
      <RadioField
        path="log.backend"
        label="Backend"
        options={[
          ['embedded', 'Embedded (files in the data directory)'],
          ['kafka', 'Apache Kafka'],
        ]}
      />
      <div className="field-row">
        <NumberField path="log.partitions" label="Partitions" step={1} />
        <SelectField
          path="log.partitioner"
          label="Partitioner"
          options={[
            ['region', 'region (US, EU, ASIA)'],
            ['murmur2', 'murmur2 (Kafka’s default)'],
          ]}
        />
      </div>
      <fieldset className="subsection" aria-describedby="kafka-used-when">
        <legend>Kafka</legend>
        <p className="field-hint" id="kafka-used-when">
          {backend === 'kafka'
            ? 'The connection the pipeline uses.'
            : 'Used when the backend is Kafka; you can test it before switching.'}
        </p>
        <TextAreaField
          path="log.kafka.brokers"
          label="Brokers"
          rows={2}
          placeholder="broker-1.example.com:9092"
        />
        <div className="field-row">
          <TextField path="log.kafka.clientId" label="Client id" />
          <TextField path="log.kafka.topic" label="Topic" />
        </div>
        <CheckboxField path="log.kafka.tls" label="TLS" />
        {tls && (
          <TextAreaField
            path="log.kafka.ca"
            label="CA certificate (PEM)"
            rows={3}
            placeholder="-----BEGIN CERTIFICATE-----"
          />
        )}
        <SelectField
          path="log.kafka.sasl"
          label="SASL mechanism"
          options={SASL_MECHANISM_NAMES.map((m) => [m, SASL_LABELS[m]] as const)}
        />
        <SelectField
          path="log.kafka.compression"
          label="Compression"
          options={KAFKA_COMPRESSION_SETTINGS.map((c) => [c, c] as const)}
        />
        {sasl !== 'none' && (
          <div className="field-row">
            <TextField path="log.kafka.username" label="Username" autoComplete="username" />
            <SecretField name="kafkaPassword" label="Kafka password" />
          </div>
        )}
        <ConnectionTest kind="kafka" what="Kafka" />
      </fieldset>
    </SettingsSection>
  );
});
