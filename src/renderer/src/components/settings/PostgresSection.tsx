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
            hint="Without the password: one typed here is moved to the secret store"
          />
          <TextAreaField
            path="postgres.ca"
            label="CA certificate (PEM)"
            rows={3}
            placeholder="-----BEGIN CERTIFICATE-----"
            hint="Verifies the server (verify-full); empty: as the URL’s sslmode says"
          />
          <SecretField name="postgresPassword" label="PostgreSQL password" />
        </>
      )}
      <NumberField
        path="postgres.poolMax"
        label="Pool size"
        min={1}
        step={1}
        unit="connections"
        hint="The engine keeps 2 more of its own"
      />
      <ConnectionTest kind="postgres" what="PostgreSQL" />
    </SettingsSection>
  );
});
