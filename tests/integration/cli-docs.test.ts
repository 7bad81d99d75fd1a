/** docs/cli.md shows the help pages commander generates, as they are (`npm run docs:cli`). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/run-cli-in-process';

const doc = readFileSync(new URL('../../docs/cli.md', import.meta.url), 'utf8');
const pages = [
  ...doc.matchAll(
    /<!-- help: ([a-z]+(?: [a-z]+)?) -->\n\n```text\n([\s\S]*?)```\n\n<!-- \/help -->/g,
  ),
];

describe('docs/cli.md', () => {
  it('has a help page for the program and each command', () => {
    expect(pages.map(([, command]) => command).sort()).toEqual(
      ['streampulse', 'db url', 'drill', 'events export', 'generate', 'run', 'serve'].sort(),
    );
  });

  it.each(pages.map(([, command, text]) => [command!, text!]))(
    'shows the help of %s as the CLI prints it',
    async (command, text) => {
      const words = command === 'streampulse' ? [] : command.split(' ');
      const help = await runCliInProcess(['help', ...words]);
      expect(help.code).toBe(0);
      expect(text, 'run `npm run docs:cli` after a build').toBe(help.stdout);
    },
  );
});
