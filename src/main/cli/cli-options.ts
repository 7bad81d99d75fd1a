/**
 * The glue between our flag tables and commander: each command's flags are written once, as a
 * table (name → placeholder, description, default, choices, environment variable, parser), and
 * commander's options, their parsing and the generated help are built from it.
 */
import { Command, CommanderError, Option } from 'commander';
import { UsageError, type CliIo } from './cli-io';

export interface FlagSpec {
  /** The value's placeholder in help (`DIR`); absent: a switch that takes no value. */
  readonly value?: string;
  readonly description: string;
  /**
   * The environment variable that also sets it. Shown in help only: variables are read where the
   * settings are resolved (settings/overrides.ts, from the CliIo's env), so that flags, variables
   * and settings.json keep one order of precedence and in-process runs see the env they are given.
   */
  readonly env?: string;
  readonly choices?: readonly string[];
  /** The value when the flag is absent (already parsed). */
  readonly default?: unknown;
  /** The default as help shows it, when it is not a plain value (or comes from the settings). */
  readonly defaultText?: string;
  /** Turns the text into the value, throwing UsageError (naming the flag) if it cannot. */
  readonly parse?: (raw: string) => unknown;
  /** May be given more than once; the values are collected in order. */
  readonly repeatable?: boolean;
}

export type FlagTable = Readonly<Record<string, FlagSpec>>;

/** `--data-dir`, which every command takes. */
export const DATA_DIR_OPTION = {
  'data-dir': {
    value: 'DIR',
    description: 'where data lives',
    defaultText: "the OS's app data dir",
    env: 'STREAMPULSE_DATA_DIR',
  },
} as const satisfies FlagTable;

/** The environment variable each option documents (commander's own `env()` would read it). */
const ENV_OF = new WeakMap<Option, string>();

/** Adds a table's flags to a command, in table order. */
export function addFlags(command: Command, table: FlagTable): Command {
  for (const [name, spec] of Object.entries(table)) command.addOption(optionOf(name, spec));
  return command;
}

function optionOf(name: string, spec: FlagSpec): Option {
  const value = spec.value ? ` <${spec.value}>` : '';
  const option = new Option(`--${name}${value}`, spec.description);
  // Choices for help only: the parser checks them, with our message.
  if (spec.choices) option.argChoices = [...spec.choices];
  if (spec.default !== undefined) option.default(spec.default, spec.defaultText);
  else if (spec.defaultText !== undefined) option.defaultValueDescription = spec.defaultText;
  if (spec.env) ENV_OF.set(option, spec.env);
  const parse = spec.parse;
  if (spec.repeatable) {
    option.argParser((raw: string, previous: unknown) => [
      ...(Array.isArray(previous) ? previous : []),
      parse ? parse(raw) : raw,
    ]);
  } else if (parse) {
    option.argParser((raw: string) => parse(raw));
  }
  return option;
}

/**
 * The parsed flags by their names as typed (`data-dir`, not commander's `dataDir`): the settings
 * overrides and the commands read them so.
 */
export function flagValuesOf(command: Command): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const option of command.options) {
    const value = command.getOptionValue(option.attributeName()) as unknown;
    if (value !== undefined && option.long) values[option.long.slice(2)] = value;
  }
  return values;
}

/** Help at a fixed width, so it reads the same in every terminal and in docs/cli.md. */
export const HELP_WIDTH = 100;

/** An option's help line: its description, then choices, default and variable. */
function optionDescription(option: Option): string {
  const extra: string[] = [];
  if (option.argChoices) extra.push(option.argChoices.join(' | '));
  const shown =
    option.defaultValueDescription ??
    (option.defaultValue !== undefined ? String(option.defaultValue) : undefined);
  if (shown !== undefined) extra.push(`default: ${shown}`);
  const env = ENV_OF.get(option);
  if (env) extra.push(`env: ${env}`);
  return extra.length ? `${option.description} (${extra.join('; ')})` : option.description;
}

/**
 * The commands a help page lists: two-word commands (`events export`) under their own names, not
 * their group's.
 */
function leafCommands(command: Command): Command[] {
  return command.commands.flatMap((child) =>
    child.commands.length > 0 ? leafCommands(child) : [child],
  );
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/**
 * A commander command set up for the CLI: errors are thrown (exitOverride), never exited on nor
 * printed by commander (runCli prints them in our form), and what commander writes goes through
 * the CliIo. Subcommands inherit this.
 */
export function cliCommand(name: string, io?: Pick<CliIo, 'out' | 'err'>): Command {
  return new Command(name)
    .exitOverride()
    .helpOption('-h, --help', 'show this help')
    .configureOutput({
      writeOut: (text) => void io?.out(text),
      writeErr: (text) => io?.err(text),
      outputError: () => {},
    })
    .configureHelp({
      helpWidth: HELP_WIDTH,
      optionDescription,
      visibleCommands: leafCommands,
      // Each command's flags are on its own page; the list shows how to call it.
      subcommandTerm: (command) =>
        `${commandPath(command)} ${command.usage().replace('[options]', '')}`.trim(),
    })
    .helpCommand(false)
    .showSuggestionAfterError();
}

/** Finds the command `argv` names (`events export` is two words), and the arguments after it. */
export function findCommand(
  program: Command,
  argv: readonly string[],
): { command: Command; name: string; args: string[] } | { unknown: string } {
  let command = program;
  let i = 0;
  while (command.commands.length > 0) {
    const word = argv[i];
    const child = command.commands.find((c) => c.name() === word);
    if (!child) {
      const name = [...argv.slice(0, i), word ?? ''].join(' ').trim();
      return { unknown: name };
    }
    command = child;
    i += 1;
  }
  return { command, name: commandPath(command), args: argv.slice(i) };
}

/**
 * A commander error as our usage message: commander's wording without its "error: ", naming a
 * two-word command by both words.
 */
export function usageErrorOf(error: CommanderError, command: Command): UsageError {
  const text = error.message
    .replace(/^error: /, '')
    .replace(`for '${command.name()}'`, `for '${commandPath(command)}'`);
  return new UsageError(text.charAt(0).toUpperCase() + text.slice(1));
}

/** The value a flag of a table parses to: its parser's result, its text, or a switch's true. */
type ValueOf<S> = S extends { readonly parse: (raw: string) => infer R }
  ? Exclude<R, undefined>
  : S extends { readonly value: string }
    ? string
    : boolean;

/** The parsed flags of a table, as flagValuesOf returns them. */
export type FlagValuesOf<T extends FlagTable> = {
  readonly [K in keyof T]?: T[K] extends { readonly repeatable: true }
    ? ValueOf<T[K]>[]
    : ValueOf<T[K]>;
};

/** A command of the CLI: how commander knows it, and what it does with what was parsed. */
export interface CliCommand {
  /** Adds the command's summary, description, arguments and flags. */
  readonly define: (command: Command) => Command;
  /** Runs it on what commander parsed; resolves to the exit code. */
  readonly run: (command: Command, io: CliIo) => Promise<number>;
}

/** A command's parsed flags, typed by its table. */
export function valuesOf<T extends FlagTable>(command: Command, _table: T): FlagValuesOf<T> {
  return flagValuesOf(command) as FlagValuesOf<T>;
}
