#!/usr/bin/env -S node --max-semi-space-size=8
// The `streampulse` command: runs the built headless entry (out/main/cli.js).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { nodeTooOld } from '../scripts/node-version.mjs';

const tooOld = nodeTooOld();
if (tooOld) {
  console.error(`streampulse: ${tooOld}`);
  process.exit(1);
}

const entry = fileURLToPath(new URL('../out/main/cli.js', import.meta.url));
if (!existsSync(entry)) {
  console.error('streampulse: not built yet. Run `npm run build` in the project folder first.');
  process.exit(1);
}
await import(entry);
