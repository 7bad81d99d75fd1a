/**
 * `streampulse drill SCENARIO`: an incident drill in virtual time. Generates the scenario's events
 * with its incidents, counts them through the engine into Postgres, records the ground truth and
 * prints the scorecard (and, with --rule, the scorecards of other rule sets side by side).
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_GROUP_ID } from '../runtime/engine-runner';
import { engineConfig } from '../engine/engine-config';
import { windowStartOf } from '../engine/windows';
import { drillReport } from '../drills/drill-report';
import { drillReportJson, formatDrillReport } from '../drills/format-report';
import { applyRuleVariant } from '../drills/rule-variants';
import { parseScenarioText, type Scenario } from '../drills/scenario';
import { runVirtualDrill } from '../drills/virtual-drill';
import { abortOn } from './interrupt';
import { createLogger } from '../logger';
import { openEventLog } from '../log/open-event-log';
import { CheckpointStore } from '../store/checkpoint-store';
import { openDatabase } from '../store/database';
import { DrillStore } from '../store/drill-store';
import { ValidationError } from '../../shared/validation-error';
import { EXIT_OK, UsageError, type CliIo } from './cli-io';
import { commandTargets } from './command-settings';
import {
  addFlags,
  valuesOf,
  type CliCommand,
  type FlagTable,
  type FlagValuesOf,
} from './cli-options';
import { DATABASE_OPTIONS } from './database-options';
import { formatCount } from './format';
import { LOG_OPTIONS } from './log-options';
import { requireSameLog } from './log-guard';
import { parseDuration, parseTimestamp } from './option-parsers';
import { ALLOWED_LATENESS_LIMITS, WINDOW_SIZE_LIMITS } from '../../shared/settings/limits';

/** Exit code of --check when a scorecard fails (2 is a usage error, 1 a failure to run). */
export const EXIT_DRILL_FAILED = 3;

const DRILL_OPTIONS = {
  seed: { value: 'S', description: "the generator's seed", defaultText: '1' },
  start: {
    value: 'ISO',
    description: "event time of the drill's start",
    defaultText: 'the drill ends a minute ago',
    parse: (raw) => parseTimestamp('start', raw),
  },
  rule: {
    value: 'SPEC',
    description:
      'also score another rule set, e.g. threshold=0.08,windows=2,min=10 (keys: threshold, ' +
      'windows, min, critical; rule=ID picks the rule, default: every error-rate rule); repeat ' +
      'to compare several',
    repeatable: true,
  },
  window: {
    value: 'D',
    description: 'window size, e.g. 60s, 1m',
    defaultText: "the settings', 60s",
    parse: (raw) => parseDuration('window', raw, WINDOW_SIZE_LIMITS.min, WINDOW_SIZE_LIMITS.max),
  },
  lateness: {
    value: 'D',
    description: 'allowed lateness',
    defaultText: "the settings', 60s",
    parse: (raw) =>
      parseDuration('lateness', raw, ALLOWED_LATENESS_LIMITS.min, ALLOWED_LATENESS_LIMITS.max),
  },
  json: { description: 'print the report as JSON' },
  check: {
    description: `exit ${EXIT_DRILL_FAILED} if the scorecard of the rules in force fails`,
  },
  ...DATABASE_OPTIONS,
  ...LOG_OPTIONS,
} as const satisfies FlagTable;

function defineDrill(command: Command): Command {
  return addFlags(
    command
      .summary('an incident drill in virtual time, and its detection scorecard')
      .description(
        `An incident drill in virtual time, as fast as the machine goes: generates the events of the
scenario (a JSON or YAML file of timed incidents: region outages, slow networks, device failures,
late bursts, poison records) into an event log, counts them through the windowing and alert engine
into PostgreSQL, records what was injected beside the alerts, and prints the scorecard: each
incident detected or missed and how long the alert took, false alerts, alerts left open,
precision, recall and a verdict. The same scenario and seed give the same scorecard.

Without --data-dir (or --database-url) the drill runs in a temporary workspace, deleted after;
with --data-dir DIR it stays there, and \`streampulse serve --data-dir DIR\` shows it in the
dashboard. Ready scenarios are in the scenarios/ folder of the project.`,
      )
      // Checked by drillCommand, for one message whether it is missing or there are several.
      .argument('[scenario]', 'the scenario file (JSON or YAML)')
      .usage('<scenario> [options]')
      .allowExcessArguments(),
    DRILL_OPTIONS,
  );
}

export const drill: CliCommand = {
  define: defineDrill,
  run: (command, io) => drillCommand(valuesOf(command, DRILL_OPTIONS), command.args, io),
};

export async function drillCommand(
  values: FlagValuesOf<typeof DRILL_OPTIONS>,
  positionals: readonly string[],
  io: CliIo,
): Promise<number> {
  if (positionals.length !== 1)
    throw new UsageError(
      'give one scenario file, e.g. `streampulse drill scenarios/region-outage.yaml`',
    );
  const scenario = readScenario(positionals[0]!);
  const seed = values.seed ?? '1';
  if (seed.length === 0 || seed.length > 200)
    throw new UsageError('--seed must be 1-200 characters');
  const logger = createLogger({ write: io.err, component: 'drill', level: 'warn' });

  // A temporary workspace unless the user names one: a drill must not mix with other data.
  const temporary =
    values['data-dir'] === undefined && values['database-url'] === undefined ? workspace() : null;
  try {
    // The drill's window and lateness win over the settings' (below), not as overrides.
    const { window, lateness, ...settingsFlags } = values;
    const targets = await commandTargets(
      { ...settingsFlags, 'data-dir': temporary ?? values['data-dir'] },
      io,
      logger,
    );
    const config = engineConfig({
      ...targets.engine,
      windowSizeMs: window ?? targets.engine.windowSizeMs,
      allowedLatenessMs: lateness ?? targets.engine.allowedLatenessMs,
    });
    const variants = (values.rule ?? []).map((spec) => {
      try {
        return { name: spec, rules: applyRuleVariant(config.alertRules, spec, '--rule') };
      } catch (error) {
        if (error instanceof ValidationError) throw new UsageError(error.message);
        throw error;
      }
    });
    const startsAt =
      values.start ??
      windowStartOf(io.now(), config.windowSizeMs) - config.windowSizeMs - scenario.durationMs;

    const log = await openEventLog(targets.backend, { logger });
    const database = await openDatabase({ ...targets.database, logger }).catch(
      async (error: unknown) => {
        await log.close();
        throw error;
      },
    );
    try {
      const checkpoints = new CheckpointStore(database.pool, DEFAULT_GROUP_ID);
      const { logId, legacyId } = await requireSameLog(
        checkpoints,
        targets.backend,
        log,
        database,
        'drill',
      );
      const drills = new DrillStore(database.pool);
      // Ctrl-C or SIGTERM: stop at the next batch, record the drill as failed, clean up.
      const result = await runVirtualDrill({
        signal: abortOn(io.stopSignal),
        log,
        pool: database.pool,
        drills,
        logId,
        logAliases: [legacyId],
        scenario,
        seed,
        startsAt,
        config,
        logger,
      });
      const report = (await drillReport(drills, result.drillId, variants))!;
      if (values.json) await io.out(`${JSON.stringify(drillReportJson(report), null, 2)}\n`);
      else {
        await io.out(formatDrillReport(report));
        await io.out(
          `\n${formatCount(result.events)} events and ${formatCount(result.poison)} poison records in ` +
            `${result.seconds.toFixed(1)} s (${formatCount(Math.round(result.events / result.seconds))} events/s)` +
            (temporary
              ? '; in a temporary workspace (--data-dir DIR keeps a drill)'
              : `; ${database.describe()}`) +
            '\n',
        );
      }
      return values.check && !report.ruleSets[0]!.scorecard.pass ? EXIT_DRILL_FAILED : EXIT_OK;
    } finally {
      await database.close();
      await log.close();
    }
  } finally {
    if (temporary) rmSync(temporary, { recursive: true, force: true });
  }
}

/** A scenario is a page of text; anything far bigger is not one (and is not read whole). */
const MAX_SCENARIO_BYTES = 1 << 20;

function readScenario(path: string): Scenario {
  let text: string;
  try {
    const size = statSync(resolve(path)).size;
    if (size > MAX_SCENARIO_BYTES)
      throw new UsageError(
        `the scenario ${path} is ${size} bytes; a scenario file is at most 1 MiB`,
      );
    text = readFileSync(resolve(path), 'utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(
      `cannot read the scenario ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  try {
    return parseScenarioText(text, path);
  } catch (error) {
    if (error instanceof ValidationError)
      throw new UsageError(`the scenario ${path} is not valid: ${error.message}`);
    throw error;
  }
}

/**
 * A fresh directory for a drill's log and database. Others may traverse it (not read it): the
 * embedded database may run as another OS user when we are root.
 */
function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'streampulse-drill-'));
  chmodSync(dir, 0o701);
  return dir;
}
