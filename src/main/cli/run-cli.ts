/** `streampulse`: dispatches a command line to its command; every error becomes an exit code. */
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError, type CliIo } from './cli-io';
import { drillCommand, DRILL_HELP } from './drill-command';
import { exportCommand, EXPORT_HELP } from './export-command';
import { EXIT_INTERRUPTED, InterruptedError } from './interrupt';
import { generateCommand, GENERATE_HELP } from './generate-command';
import { runCommand, RUN_HELP } from './run-command';
import { serveCommand, SERVE_HELP } from './serve-command';
import { dbUrlCommand, DB_URL_HELP } from '../store/db-url-command';

export const MAIN_HELP = `Usage: streampulse <command> [options]

StreamPulse simulates and analyses a content-download platform in real time.

Commands:
  serve            run the pipeline and serve the dashboard on 127.0.0.1 (headless)
  generate         generate N events in virtual time into the event log, then exit
  run              a bounded run: generate N events, window them into PostgreSQL, exit
  drill            an incident drill in virtual time, and its detection scorecard
  events export    print the log's events as JSON lines
  db url           print the connection URL of the database in use (for psql, BI tools)
  help [command]   show help for a command

Every command takes --data-dir DIR (default: $STREAMPULSE_DATA_DIR, else the OS's app data dir)
and --help.
`;

interface Command {
  readonly help: string;
  readonly run: (args: readonly string[], io: CliIo) => Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  serve: { help: SERVE_HELP, run: serveCommand },
  generate: { help: GENERATE_HELP, run: generateCommand },
  run: { help: RUN_HELP, run: runCommand },
  drill: { help: DRILL_HELP, run: drillCommand },
  'events export': { help: EXPORT_HELP, run: exportCommand },
  'db url': { help: DB_URL_HELP, run: dbUrlCommand },
};

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [first, second, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h') {
    await io.out(MAIN_HELP);
    return first === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (first === 'help') {
    const topic = [second, ...rest].filter(Boolean).join(' ');
    const command = COMMANDS[topic];
    await io.out(command ? command.help : MAIN_HELP);
    return command || !topic ? EXIT_OK : EXIT_USAGE;
  }
  // Two-word commands: `events export`, `db url`.
  const grouped = first === 'events' || first === 'db';
  const name = grouped ? `${first} ${second ?? ''}`.trim() : first;
  const command = COMMANDS[name];
  if (!command) {
    io.err(`streampulse: unknown command "${name}". Run \`streampulse --help\` for the list.\n`);
    return EXIT_USAGE;
  }
  const args = grouped ? rest : argv.slice(1);
  if (args.includes('--help') || args.includes('-h')) {
    await io.out(command.help);
    return EXIT_OK;
  }
  try {
    return await command.run(args, io);
  } catch (err) {
    if (err instanceof InterruptedError) {
      io.err(`streampulse ${name}: ${err.message}\n`);
      return EXIT_INTERRUPTED;
    }
    if (err instanceof UsageError || isParseArgsError(err)) {
      io.err(
        `streampulse ${name}: ${(err as Error).message}\nRun \`streampulse ${name} --help\` for usage.\n`,
      );
      return EXIT_USAGE;
    }
    io.err(`streampulse ${name}: ${err instanceof Error ? err.message : String(err)}\n`);
    if (io.env.STREAMPULSE_DEBUG && err instanceof Error) io.err(`${err.stack}\n`);
    return EXIT_FAILURE;
  }
}

/** node:util parseArgs reports unknown flags and missing values with these codes. */
function isParseArgsError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}
