/**
 * The ready scenarios in the project's `scenarios/` folder: found like `sql/` (walking up from
 * this module, so from the sources and from the bundle), listed, and loaded by file name only.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ScenarioView } from '../../shared/drill-views';
import { ValidationError } from '../../shared/validation-error';
import { parseScenarioText, type Scenario } from './scenario';

const SCENARIO_FILE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,80}\.(ya?ml|json)$/;

export function defaultScenariosDir(from: string = import.meta.url): string | null {
  const start = dirname(from.startsWith('file:') ? fileURLToPath(from) : from);
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'scenarios')) && existsSync(join(dir, 'sql', '001_init.sql')))
      return join(dir, 'scenarios');
    if (dirname(dir) === dir) return null;
  }
}

/** The scenarios of `dir`, by file name; a file that does not validate is left out. */
export function listScenarios(dir: string | null): ScenarioView[] {
  if (dir === null) return [];
  return readdirSync(dir)
    .filter((file) => SCENARIO_FILE.test(file))
    .sort()
    .flatMap((file) => {
      try {
        const s = parseScenarioText(readFileSync(join(dir, file), 'utf8'), file);
        return [
          {
            file,
            name: s.name,
            description: s.description,
            durationMs: s.durationMs,
            ratePerSecond: s.ratePerSecond,
            incidents: s.incidents.length,
          },
        ];
      } catch {
        return [];
      }
    });
}

/** One ready scenario by its file name (never a path: the name is checked against the folder). */
export function loadScenario(dir: string | null, file: string): Scenario {
  const known = dir === null ? [] : readdirSync(dir).filter((f) => SCENARIO_FILE.test(f));
  if (!known.includes(file)) {
    throw new ValidationError(
      'scenario',
      `no ready scenario "${file}"; one of ${known.join(', ') || '(none installed)'}`,
    );
  }
  return parseScenarioText(readFileSync(join(dir!, file), 'utf8'), file);
}
