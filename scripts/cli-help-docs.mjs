#!/usr/bin/env node
/**
 * `npm run docs:cli`: rewrites the help pages in docs/cli.md (the blocks between
 * `<!-- help: COMMAND -->` (`streampulse` for the program's page) and `<!-- /help -->`) from the built CLI's own `help COMMAND`, so the
 * document shows what commander generates from the flag tables. Build first (`npm run build`, or
 * `npx electron-vite build`); tests/integration/cli-docs.test.ts fails when they differ.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const doc = `${root}docs/cli.md`;
const cli = `${root}out/main/cli.js`;

const text = readFileSync(doc, 'utf8').replace(
  /(<!-- help: ([a-z]+(?: [a-z]+)?) -->\n)[\s\S]*?(<!-- \/help -->)/g,
  (_, open, command, close) => {
    const words = command === 'streampulse' ? [] : command.split(' ');
    const help = execFileSync(process.execPath, [cli, 'help', ...words], { encoding: 'utf8' });
    return `${open}\n\`\`\`text\n${help}\`\`\`\n\n${close}`;
  },
);
writeFileSync(doc, text);
