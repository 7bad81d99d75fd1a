/** The database flags every command that needs Postgres shares (resolved in command-settings.ts). */

export const DATABASE_OPTIONS = {
  'database-url': { type: 'string' },
  'postgres-ca': { type: 'string' },
} as const;

export const DATABASE_OPTIONS_HELP = `  --database-url URL    use this PostgreSQL (also DATABASE_URL) instead of the embedded one;
                        its password from STREAMPULSE_POSTGRES_PASSWORD, or in the URL
  --postgres-ca FILE    the PostgreSQL server's CA certificate (PEM), for sslmode=verify-full`;
