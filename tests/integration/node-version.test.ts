import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MIN_NODE, NODE_FLAGS, nodeTooOld } from '../../scripts/node-version.mjs';

describe('the Node StreamPulse runs on', () => {
  it('refuses a Node older than 24.6 with one line that names the fix', () => {
    expect(nodeTooOld('20.20.2')).toMatch(
      /needs Node 24\.6 or newer .* this is Node 20\.20\.2\. Install Node 24 \(e\.g\. `npm install -g node@24`/,
    );
    expect(nodeTooOld('24.5.1')).not.toBeNull();
    for (const fine of ['24.6.0', '24.21.0', '25.1.0', '26.10.0'])
      expect(nodeTooOld(fine)).toBeNull();
  });

  it('is the Node that package.json asks for, and the one running the tests', () => {
    const { engines } = JSON.parse(readFileSync('package.json', 'utf8')) as {
      engines: { node: string };
    };
    expect(engines.node).toBe(`>=${MIN_NODE.join('.')}`);
    expect(nodeTooOld()).toBeNull();
  });
});

describe("the streampulse process's V8 flags", () => {
  it('are the same in the command (its #! line) and in the scripts that start it', () => {
    const shebang = readFileSync('bin/streampulse.mjs', 'utf8').split('\n')[0]!;
    expect(shebang).toBe(`#!/usr/bin/env -S node ${NODE_FLAGS.join(' ')}`);
  });
});
