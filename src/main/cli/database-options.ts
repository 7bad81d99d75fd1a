/** The database flags every command that needs Postgres shares, and opening it from them. */
import type { Logger } from '../logger';
import { openDatabase, type Database } from '../store/database';

export const DATABASE_OPTIONS = {
  'database-url': { type: 'string' },
} as const;

export const DATABASE_OPTIONS_HELP = `  --database-url URL    use this PostgreSQL (also DATABASE_URL) instead of the embedded one`;

export function openDatabaseFrom(
  values: { 'database-url'?: string },
  env: NodeJS.ProcessEnv,
  dataDir: string,
  logger: Logger,
): Promise<Database> {
  const url = values['database-url'] ?? env.DATABASE_URL;
  return url
    ? openDatabase({ kind: 'url', url, logger })
    : openDatabase({ kind: 'embedded', dataDir, logger });
}
