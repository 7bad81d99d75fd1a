/** PostgreSQL: the embedded server or one by URL (with its CA and password); the pool size. */
import { memo } from 'react';
import { ConnectionTest } from './ConnectionTest';
import { NumberField, RadioField, SecretField, TextAreaField, TextField } from './fields';
import { useSettings } from './settings-context';
import { SettingsSection } from './SettingsSection';

export const PostgresSection = memo(function PostgresSection(): React.JSX.Element {
  const mode = useSettings((s) => s.form?.postgres.mode);
  return (
    <SettingsSection
      title="PostgreSQL"
      name="postgres"
      subtitle="Where the engine commits windows, alerts and its checkpoints"
    >
      <RadioField
        path="postgres.mode"
        label="Database"
        options={[
          ['embedded', 'Embedded (started by the app)'],
          ['url', 'A server, by URL'],
        ]}
      />
      {mode === 'url' && (
        <>
          <TextField
            path="postgres.url"
            label="URL"
            type="url"
            placeholder="postgres://user@host:5432/streampulse?sslmode=require"
          />
          <TextAreaField
            path="postgres.ca"
            label="CA certificate (PEM)"
            rows={3}
            placeholder="-----BEGIN CERTIFICATE-----"
          />
          <SecretField name="postgresPassword" label="PostgreSQL password" />
        </>
      )}
      <NumberField path="postgres.poolMax" label="Pool size" step={1} />
      <ConnectionTest kind="postgres" what="PostgreSQL" />
    </SettingsSection>
  );
});
