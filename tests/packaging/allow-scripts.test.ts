/**
 * npm 11 runs a dependency's install script only if package.json's `allowScripts` lists it. Every
 * embedded PostgreSQL platform package needs its script (it sets up the binaries' links), so on
 * any platform npm installs one for, a missing entry means a database that does not start.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { embeddedPostgresPlatforms } from './builder-config';

it("lets every platform's embedded PostgreSQL package run its install script", () => {
  const pkg = JSON.parse(
    readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8'),
  ) as { allowScripts: Record<string, boolean> };
  const missing = embeddedPostgresPlatforms().filter((name) => pkg.allowScripts[name] !== true);
  expect(missing).toEqual([]);
});
