/** The database flags every command that needs Postgres shares (resolved in command-settings.ts). */
import type { FlagTable } from './cli-options';
import { settingFlag } from './settings-flags';

export const DATABASE_OPTIONS = {
  'database-url': settingFlag('database-url', {
    value: 'URL',
    description:
      'use this PostgreSQL instead of the embedded one; its password from ' +
      'STREAMPULSE_POSTGRES_PASSWORD, or in the URL',
  }),
  'postgres-ca': settingFlag('postgres-ca', {
    value: 'FILE',
    description: "the PostgreSQL server's CA certificate (PEM), for sslmode=verify-full",
  }),
} as const satisfies FlagTable;
