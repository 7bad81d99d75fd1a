/**
 * The built app (out/): every import of the main, worker and preload bundles resolves, so the
 * Electron app starts where its binary exists (it cannot run here). Needs `npm run build` first.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const out = fileURLToPath(new URL('../../out/', import.meta.url));

function bundles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? bundles(join(dir, entry.name))
      : /\.(c?js|mjs)$/.test(entry.name)
        ? [join(dir, entry.name)]
        : [],
  );
}

/** Static and dynamic import specifiers, and require() calls, of a bundle. */
function specifiers(code: string): string[] {
  const found = new Set<string>();
  for (const pattern of [
    /\bfrom\s*["']([^"']+)["']/g,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
    /\brequire\(\s*["']([^"']+)["']\s*\)/g,
    /^\s*import\s*["']([^"']+)["']/gm,
  ]) {
    // A module specifier has no spaces; that tells it from prose like `from "the disk"` in messages.
    for (const match of code.matchAll(pattern)) if (!/\s/.test(match[1]!)) found.add(match[1]!);
  }
  return [...found];
}

describe('the built bundles', () => {
  it('exist for the app, the CLI, both workers and the preload', () => {
    expect(existsSync(out), 'run `npm run build` first').toBe(true);
    for (const file of [
      'main/index.js',
      'main/cli.js',
      'main/generator-worker.js',
      'main/engine-worker.js',
      'preload/index.cjs',
      'renderer/index.html',
    ]) {
      expect(existsSync(join(out, file)), file).toBe(true);
    }
  });

  it('import only what resolves', () => {
    const files = [...bundles(join(out, 'main')), ...bundles(join(out, 'preload'))];
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const require = createRequire(file);
      for (const specifier of specifiers(readFileSync(file, 'utf8'))) {
        if (specifier.startsWith('node:') || builtinModules.includes(specifier)) continue;
        if (specifier.startsWith('.')) {
          expect(existsSync(resolve(dirname(file), specifier)), `${file} → ${specifier}`).toBe(
            true,
          );
        } else {
          expect(() => require.resolve(specifier), `${file} → ${specifier}`).not.toThrow();
        }
      }
    }
  });

  it('keep Electron out of the headless CLI and the workers', () => {
    for (const file of ['main/cli.js', 'main/generator-worker.js', 'main/engine-worker.js']) {
      const code = readFileSync(join(out, file), 'utf8');
      expect(specifiers(code), file).not.toContain('electron');
    }
  });
});
