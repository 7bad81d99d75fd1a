/**
 * `streampulse`: one commander program for every command (each command's flags and help come from
 * its flag table); every error becomes an exit code and a message on stderr, never an exit of the
 * process, so tests run the CLI in-process.
 */
import { CommanderError, type Command } from 'commander';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError, type CliIo } from './cli-io';
import { cliCommand, findCommand, usageErrorOf, type CliCommand } from './cli-options';
import { dbUrl } from './db-url-command';
import { drill } from './drill-command';
import { eventsExport } from './export-command';
import { generate } from './generate-command';
import { EXIT_INTERRUPTED, InterruptedError } from './interrupt';
import { run } from './run-command';
import { serve } from './serve-command';

/** Every command, by the words that call it, in the order the main help lists them. */
const COMMANDS: ReadonlyArray<readonly [string, CliCommand]> = [
  ['serve', serve],
  ['generate', generate],
  ['run', run],
  ['drill', drill],
  ['events export', eventsExport],
  ['db url', dbUrl],
];

/** The program; each command's action runs it and reports its exit code. */
function buildProgram(io: CliIo, exit: (code: number) => void): Command {
  const program = cliCommand('streampulse', io)
    .usage('<command> [options]')
    .description(
      `StreamPulse simulates and analyses a content-download platform in real time.

Every command takes --data-dir DIR (default: $STREAMPULSE_DATA_DIR, else the OS's app data dir)
and --help.`,
    );
  for (const [words, command] of COMMANDS) {
    let parent = program;
    const names = words.split(' ');
    // Two-word commands (`events export`) are a group's subcommand (the group lists its own
    // commands; commander's implicit help command is not inherited, so it is turned off here too).
    for (const group of names.slice(0, -1)) {
      parent =
        parent.commands.find((c) => c.name() === group) ?? parent.command(group).helpCommand(false);
    }
    const leaf = command.define(parent.command(names.at(-1)!));
    leaf.action(async () => exit(await command.run(leaf, io)));
  }
  program
    .command('help')
    .summary('show help for a command')
    .argument('[command...]')
    .usage('[command]')
    .action(async (topic: string[]) => {
      const found = findCommand(program, topic);
      await io.out(('command' in found ? found.command : program).helpInformation());
      exit('command' in found || topic.length === 0 ? EXIT_OK : EXIT_USAGE);
    });
  return program;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let code = EXIT_OK;
  const program = buildProgram(io, (exitCode) => {
    code = exitCode;
  });
  const first = argv[0];
  if (first === undefined || first === '--help' || first === '-h') {
    await io.out(program.helpInformation());
    return first === undefined ? EXIT_USAGE : EXIT_OK;
  }
  const found = findCommand(program, argv);
  if ('unknown' in found) {
    io.err(
      `streampulse: unknown command "${found.unknown}". Run \`streampulse --help\` for the list.\n`,
    );
    return EXIT_USAGE;
  }
  const { command, name, args } = found;
  // Help wins over everything else on the line, even flags with bad values.
  if (name !== 'help' && (args.includes('--help') || args.includes('-h'))) {
    await io.out(command.helpInformation());
    return EXIT_OK;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof InterruptedError) {
      io.err(`streampulse ${name}: ${err.message}\n`);
      return EXIT_INTERRUPTED;
    }
    const usage = err instanceof CommanderError ? usageErrorOf(err, command) : err;
    if (usage instanceof UsageError) {
      io.err(
        `streampulse ${name}: ${usage.message}\nRun \`streampulse ${name} --help\` for usage.\n`,
      );
      return EXIT_USAGE;
    }
    io.err(`streampulse ${name}: ${err instanceof Error ? err.message : String(err)}\n`);
    if (io.env.STREAMPULSE_DEBUG && err instanceof Error) io.err(`${err.stack}\n`);
    return EXIT_FAILURE;
  }
}
