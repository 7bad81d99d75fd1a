/**
 * A drill in virtual time: the scenario's events are generated into the event log with its
 * incidents (injections, late stretches, poison records) at their event times, the engine counts
 * the log into Postgres and finalizes every window, and the drill with its ground truth is
 * recorded beside the alerts. As fast as the machine goes; the same seed gives the same events,
 * so the same scorecard.
 */
import { DEFAULT_GROUP_ID, EngineRunner } from '../runtime/engine-runner';
import type { EngineConfig } from '../engine/engine-config';
import { DownloadEventGenerator } from '../generator/download-event-generator';
import { EventProducer } from '../generator/event-producer';
import type { EventLog } from '../log/event-log';
import type { Logger } from '../logger';
import { CheckpointStore } from '../store/checkpoint-store';
import type { DrillStore } from '../store/drill-store';
import type pg from 'pg';
import { poisonRecords } from '../generator/poison-records';
import { planDrill, type DrillPlan } from './drill-plan';
import type { Scenario } from './scenario';
import { InterruptedError } from '../cli/interrupt';

export interface VirtualDrillOptions {
  readonly log: EventLog;
  readonly pool: pg.Pool;
  readonly drills: DrillStore;
  readonly logId: string;
  readonly logAliases?: readonly string[];
  readonly scenario: Scenario;
  readonly seed: string;
  /** Event time of the drill's start (aligned to a window by the caller, for readable times). */
  readonly startsAt: number;
  readonly config: EngineConfig;
  readonly logger: Logger;
  /** Events generated so far, of `total`. */
  readonly onProgress?: (generated: number, total: number) => void;
  /** Stops the drill at the next batch (Ctrl-C): it is recorded as failed, "interrupted". */
  readonly signal?: AbortSignal;
}

export class DrillInterruptedError extends InterruptedError {
  override readonly name = 'DrillInterruptedError';
  constructor() {
    super('interrupted before the end; nothing of it is scored (recorded as failed)');
  }
}

export interface VirtualDrillResult {
  readonly drillId: number;
  readonly plan: DrillPlan;
  readonly events: number;
  readonly poison: number;
  readonly seconds: number;
}

export async function runVirtualDrill(options: VirtualDrillOptions): Promise<VirtualDrillResult> {
  const began = performance.now();
  const { scenario, startsAt } = options;
  const plan = planDrill(scenario, startsAt);
  const drillId = await options.drills.create({
    mode: 'virtual',
    seed: options.seed,
    scenario,
    rules: options.config.alertRules,
    windowSizeMs: options.config.windowSizeMs,
    startsAt,
    incidents: plan.incidents,
  });
  try {
    const events = await generate(options, plan);
    const runner = new EngineRunner({
      log: options.log,
      checkpoints: new CheckpointStore(options.pool, DEFAULT_GROUP_ID),
      logId: options.logId,
      logAliases: options.logAliases ?? [],
      config: options.config,
      logger: options.logger,
      now: () => 0, // virtual time: no partition ever goes idle by the wall clock
    });
    await runner.start();
    await runner.drain(options.signal);
    if (options.signal?.aborted) throw new DrillInterruptedError();
    await runner.flush();
    await options.drills.end(drillId, 'finished');
    const poison = plan.poison.reduce((n, p) => n + p.count, 0);
    return { drillId, plan, events, poison, seconds: (performance.now() - began) / 1000 };
  } catch (error) {
    await options.drills
      .end(drillId, 'failed', { error: (error as Error).message })
      .catch(() => undefined);
    throw error;
  }
}

/**
 * Generates the drill's events stretch by stretch: late delivery changes at a late burst's edges,
 * and poison records go in at their instant between two stretches. Event i is at
 * start + i / rate, whatever the stretches, so the events are those of one uninterrupted run.
 */
async function generate(options: VirtualDrillOptions, plan: DrillPlan): Promise<number> {
  const { scenario, log } = options;
  const rate = scenario.ratePerSecond;
  const intervalMs = 1000 / rate;
  const generator = new DownloadEventGenerator({
    seed: options.seed,
    outcomeMix: scenario.background,
  });
  for (const injection of plan.injections) generator.inject(injection.spec, injection.startsAt);
  const producer = new EventProducer({
    generator,
    log,
    ratePerSecond: rate,
    startAt: plan.startsAt,
  });
  const indexAt = (time: number): number =>
    Math.ceil(((time - plan.startsAt) * rate) / 1000 - 1e-9);
  const total = indexAt(plan.endsAt);
  const cuts = [...new Set([...plan.late.map((s) => s.from), ...plan.poison.map((p) => p.at)])]
    .filter((t) => t > plan.startsAt && t < plan.endsAt)
    .sort((a, b) => a - b);
  const bounds = [plan.startsAt, ...cuts, plan.endsAt];
  let poisonNext = 0;
  const appendPoisonUntil = async (time: number): Promise<void> => {
    while (poisonNext < plan.poison.length && plan.poison[poisonNext]!.at <= time) {
      const { count, at } = plan.poison[poisonNext++]!;
      await log.append(poisonRecords(count, at));
    }
  };
  for (let i = 0; i + 1 < bounds.length; i++) {
    const from = bounds[i]!;
    const to = bounds[i + 1]!;
    await appendPoisonUntil(from);
    const stretch = plan.late.find((s) => s.from <= from && from < s.to)!;
    generator.setLateDelivery(stretch.late);
    const first = indexAt(from);
    const count = indexAt(to) - first;
    if (count > 0) {
      await producer.produceVirtual(count, plan.startsAt + first * intervalMs, rate, {
        onProgress: (done) => {
          if (options.signal?.aborted) throw new DrillInterruptedError();
          options.onProgress?.(first + done, total);
        },
      });
    }
  }
  await appendPoisonUntil(plan.endsAt);
  await log.flush();
  return total;
}
