/** The CLI's commander program: flags from tables, generated help, our errors and exit codes. */
import { afterEach, describe, expect, it } from 'vitest';
import { SETTINGS_CATALOGUE } from '../../shared/settings/schema';
import { runCliInProcess } from '../../../tests/support/run-cli-in-process';
import { UsageError } from './cli-io';
import { addFlags, cliCommand, findCommand, flagValuesOf, type FlagTable } from './cli-options';
import { parseInteger } from './option-parsers';

const TABLE = {
  'data-dir': { value: 'DIR', description: 'where data lives', env: 'SP_TEST_DATA_DIR' },
  count: {
    value: 'N',
    description: 'how many',
    default: 7,
    parse: (raw) => parseInteger('count', raw, 1, 10),
  },
  tag: { value: 'T', description: 'a tag', repeatable: true },
  loud: { description: 'say more' },
} as const satisfies FlagTable;

function parse(args: string[]): Record<string, unknown> {
  const command = addFlags(cliCommand('test'), TABLE);
  command.parse(args, { from: 'user' });
  return flagValuesOf(command);
}

afterEach(() => {
  delete process.env.SP_TEST_DATA_DIR;
});

describe('flags from a table', () => {
  it('parses values by their names as typed, with defaults, repeats and switches', () => {
    expect(parse(['--data-dir', '/d', '--count=3', '--tag', 'a', '--tag', 'b', '--loud'])).toEqual({
      'data-dir': '/d',
      count: 3,
      tag: ['a', 'b'],
      loud: true,
    });
    expect(parse([])).toEqual({ count: 7 });
  });

  it("fails with the parser's message, naming the flag", () => {
    expect(() => parse(['--count', '11'])).toThrow(
      new UsageError('--count must be a whole number from 1 to 10, got "11"'),
    );
  });

  it('shows an environment variable in help but leaves reading it to the settings', () => {
    // The settings resolve variables from the CliIo's env (one precedence order, testable
    // in-process); commander reading process.env would be a second source.
    process.env.SP_TEST_DATA_DIR = '/from-env';
    expect(parse([])).toEqual({ count: 7 });
    const help = addFlags(cliCommand('test'), TABLE).helpInformation();
    expect(help).toMatch(/--data-dir <DIR> +where data lives \(env: SP_TEST_DATA_DIR\)/);
    expect(help).toMatch(/--count <N> +how many \(default: 7\)/);
  });
});

describe('streampulse (the program)', () => {
  it('lists every command in its help, and exits 2 without one', async () => {
    const result = await runCliInProcess([]);
    expect(result.code).toBe(2);
    for (const command of ['serve', 'generate', 'run', 'drill <scenario>', 'events export'])
      expect(result.stdout).toContain(`\n  ${command} `);
    expect(result.stdout).toMatch(/\n {2}db url +print the connection URL/);
    expect(result.stdout).toMatch(/\n {2}help \[command\] +show help for a command/);
  });

  it('gives a two-word command its own help page, and the main page for an unknown topic', async () => {
    const page = await runCliInProcess(['help', 'events', 'export']);
    expect(page.code).toBe(0);
    expect(page.stdout).toMatch(/^Usage: streampulse events export \[options\]\n/);
    expect(page.stdout).toContain('--from-offset <P:O>');
    const unknown = await runCliInProcess(['help', 'launch']);
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toMatch(/^Usage: streampulse <command> \[options\]/);
  });

  it("documents every settings flag on serve's page, with its variable and default", async () => {
    const { stdout } = await runCliInProcess(['serve', '--help']);
    for (const entry of SETTINGS_CATALOGUE.filter((e) => e.flag)) {
      expect(stdout).toContain(`${entry.flag}`);
      if (entry.env) expect(stdout.replace(/\s+/g, ' ')).toContain(`env: ${entry.env}`);
    }
    expect(stdout).toMatch(/--rate <R> +events per second, 0\.1 to 10,000,000 \(default: 50;/);
    // Defaults from the catalogue, in the flag's terms (a duration in s, not the setting's ms).
    expect(stdout).toMatch(/--window <D> +window size, e\.g\. 60s, 10s, 1s \(default: 60s\)/);
    expect(stdout.replace(/\s+/g, ' ')).toContain(
      '--partitions <N> partitions of a new log or topic; an existing log keeps its own (default: 3)',
    );
  });

  it('shows help even when other flags on the line are wrong', async () => {
    const result = await runCliInProcess(['generate', '--events', 'many', '-h']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: streampulse generate \[options\]/);
  });

  it('says what is wrong with a flag in our form: the command, the message, the hint', async () => {
    const cases: Array<[string[], string]> = [
      [['generate', '--events'], "Option '--events <N>' argument missing"],
      [
        ['serve', 'extra'],
        "Too many arguments for 'serve'. Expected 0 arguments but got 1: extra.",
      ],
      [['run', '--window', '2d'], '--window must be a duration from 1000 ms to 86400 s'],
      [['db', 'url', '--data-dr', 'x'], "Unknown option '--data-dr'\n(Did you mean --data-dir?)"],
      [['db', 'url', 'x'], "Too many arguments for 'db url'. Expected 0 arguments but got 1: x."],
    ];
    for (const [args, message] of cases) {
      const result = await runCliInProcess(args);
      const name = args[0] === 'db' ? 'db url' : args[0];
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toContain(`streampulse ${name}: ${message}`);
      expect(result.stderr).toMatch(new RegExp(`Run \`streampulse ${name} --help\` for usage.\n$`));
    }
  });
});

describe('findCommand', () => {
  it('reads one- and two-word commands, and names an unknown one as typed', () => {
    const program = cliCommand('p');
    program.command('serve');
    program.command('events').command('export');
    expect(findCommand(program, ['events', 'export', '--limit', '1'])).toMatchObject({
      name: 'events export',
      args: ['--limit', '1'],
    });
    expect(findCommand(program, ['serve'])).toMatchObject({ name: 'serve', args: [] });
    expect(findCommand(program, ['events'])).toEqual({ unknown: 'events' });
    expect(findCommand(program, ['events', 'import'])).toEqual({ unknown: 'events import' });
  });
});
