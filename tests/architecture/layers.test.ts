/**
 * The house's rules, checked: the pure engine imports no I/O (the lint rule, run on probes), and
 * settings/ is a leaf that the runtime builds on, never the other way round.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

async function lintErrors(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.severity === 2).map((m) => m.message);
}

function importsOf(dir: string): Array<{ file: string; from: string }> {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .flatMap((file) =>
      [...readFileSync(join(dir, file), 'utf8').matchAll(/from '([^']+)'/g)].map((m) => ({
        file,
        from: m[1]!,
      })),
    );
}

describe('layers', () => {
  it('the engine may import neither store/, log/, pg nor node: modules', async () => {
    const probe = 'src/main/engine/probe.ts';
    for (const spec of ['../store/checkpoint-store', '../log/event-log', 'pg', 'node:fs']) {
      const errors = await lintErrors(`import { x } from '${spec}';\nexport const y = x;\n`, probe);
      expect(errors.join('\n'), spec).toMatch(/the engine is pure/);
    }
    // Its own modules and the port are fine.
    expect(
      await lintErrors(
        "import type { CheckpointPort } from './checkpoint-port';\nexport type P = CheckpointPort;\n",
        probe,
      ),
    ).toEqual([]);
  });

  it('the engine imports nothing that does I/O today', async () => {
    const offending = importsOf('src/main/engine').filter(({ from }) =>
      /^(pg|node:)|\.\.\/(store|log|runtime|workers|api)\//.test(from),
    );
    expect(offending).toEqual([]);
  });

  it('settings/ is a leaf: it imports neither the runtime, the API nor the workers', () => {
    const offending = importsOf('src/main/settings').filter(({ from }) =>
      /\.\.\/(runtime|api|workers|log|store|engine)\//.test(from),
    );
    expect(offending).toEqual([]);
  });
});
