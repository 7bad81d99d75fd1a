/**
 * A drill in the running pipeline, by the wall clock: the scenario's incidents are injected into
 * the live generator at their times (the same injections, late stretches and poison records as in
 * virtual time), the dashboard watches the alerts come, and the scorecard is computed from the
 * alerts table whenever it is asked for. One live drill at a time; stopping it removes what it
 * injected and cuts its incidents at the stop.
 */
import type { AlertRule } from '../engine/alert-rules';
import type { LateDelivery } from '../generator/download-event-generator';
import type { Logger } from '../logger';
import { Ticker } from '../ticker';
import type { GeneratorCommand, GeneratorReply } from '../protocol/commands';
import type { DrillStore } from '../store/drill-store';
import { ConflictError, NotFoundError } from '../../shared/errors';
import { planDrill, type DrillPlan } from './drill-plan';
import type { Scenario } from './scenario';

export interface LiveDrillsOptions {
  readonly control: <C extends GeneratorCommand>(command: C) => Promise<GeneratorReply<C>>;
  /** The current database's drills (the database can be switched while running). */
  readonly store: () => DrillStore;
  readonly engine: () => {
    readonly alertRules: readonly AlertRule[];
    readonly windowSizeMs: number;
  };
  readonly now: () => number;
  readonly logger: Logger;
  /** How often due steps run (default 250 ms); null: only when tick() is called (tests). */
  readonly tickMs?: number | null;
}

type Step =
  | {
      readonly at: number;
      readonly kind: 'inject';
      readonly incident: number;
      readonly spec: DrillPlan['injections'][number]['spec'];
    }
  | { readonly at: number; readonly kind: 'late'; readonly late: LateDelivery | null }
  | {
      readonly at: number;
      readonly kind: 'poison';
      readonly incident: number;
      readonly count: number;
    }
  | { readonly at: number; readonly kind: 'mark'; readonly incident: number }
  | { readonly at: number; readonly kind: 'end' };

interface ActiveDrill {
  readonly id: number;
  readonly plan: DrillPlan;
  readonly steps: readonly Step[];
  next: number;
  readonly injectionIds: string[];
  /** The late delivery in force before the drill, put back after each burst and at the end. */
  readonly lateBefore: LateDelivery;
}

export class LiveDrills {
  private active: ActiveDrill | null = null;
  private readonly ticker: Ticker | null;
  /** Steps run one at a time: a tick and a stop never interleave. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: LiveDrillsOptions) {
    const tickMs = options.tickMs === undefined ? 250 : options.tickMs;
    this.ticker =
      tickMs === null
        ? null
        : new Ticker(
            tickMs,
            () => this.tick(),
            (error) => options.logger.error('drill step failed', { error }),
          );
  }

  /** The running drill's id, if any. */
  get runningId(): number | null {
    return this.active?.id ?? null;
  }

  async start(scenario: Scenario, seed: string): Promise<number> {
    return this.serialized(async () => {
      if (this.active)
        throw new ConflictError(
          `drill ${this.active.id} is running; stop it before starting another`,
        );
      const engine = this.options.engine();
      const startsAt = this.options.now();
      const plan = planDrill(scenario, startsAt);
      const controls = await this.options.control({ kind: 'controls' });
      const id = await this.options.store().create({
        mode: 'live',
        seed,
        scenario,
        rules: engine.alertRules,
        windowSizeMs: engine.windowSizeMs,
        startsAt,
        incidents: plan.incidents,
      });
      this.active = {
        id,
        plan,
        steps: stepsOf(plan),
        next: 0,
        injectionIds: [],
        lateBefore: controls.late,
      };
      this.options.logger.info('drill started', { drill: id, scenario: scenario.name });
      this.ticker?.start();
      await this.runDue();
      return id;
    });
  }

  /** Stops the running drill `id` now: what it injected is removed, its incidents cut here. */
  async stop(id: number): Promise<void> {
    return this.serialized(async () => {
      if (!this.active || this.active.id !== id) {
        const drill = await this.options.store().get(id);
        if (!drill) throw new NotFoundError(`there is no drill ${id}`);
        throw new ConflictError(`drill ${id} is not running (it is ${drill.status})`);
      }
      await this.finish('stopped');
    });
  }

  /** Runs the steps that are due (the ticker calls it; tests call it with their own clock). */
  tick(): Promise<void> {
    return this.serialized(() => this.runDue());
  }

  /** Shutting down: a running drill is stopped (its record says so), and the ticker ends. */
  async close(): Promise<void> {
    await this.ticker?.stop();
    await this.serialized(async () => {
      if (this.active) await this.finish('stopped').catch(() => undefined);
    });
  }

  private serialized<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async runDue(): Promise<void> {
    const drill = this.active;
    if (!drill) return;
    const now = this.options.now();
    while (drill.next < drill.steps.length && drill.steps[drill.next]!.at <= now) {
      const step = drill.steps[drill.next]!;
      drill.next++;
      if (step.kind === 'end') {
        await this.finish('finished');
        return;
      }
      await this.runStep(drill, step, now);
    }
  }

  private async runStep(
    drill: ActiveDrill,
    step: Exclude<Step, { kind: 'end' }>,
    now: number,
  ): Promise<void> {
    const { control } = this.options;
    // When it began in event time: for an injection, the generator's own start of it (its clock
    // and its thread), which can be a little after `now`.
    let startedAt = now;
    switch (step.kind) {
      case 'inject': {
        const injection = await control({ kind: 'inject', spec: step.spec });
        drill.injectionIds.push(injection.id);
        startedAt = injection.startsAt;
        break;
      }
      case 'late':
        await control({ kind: 'setLateDelivery', late: step.late ?? drill.lateBefore });
        break;
      case 'poison':
        await control({ kind: 'appendPoison', count: step.count });
        break;
      case 'mark':
        break;
    }
    if (step.kind !== 'late') {
      // The ground truth is when it really began, which a busy loop may have delayed a little.
      await this.options.store().incidentStarted(drill.id, step.incident, startedAt, now);
    }
  }

  private async finish(status: 'finished' | 'stopped'): Promise<void> {
    const drill = this.active!;
    this.active = null;
    // Not awaited: finish may run inside a tick, which stop() would wait for.
    void this.ticker?.stop();
    const { control } = this.options;
    for (const id of drill.injectionIds) await control({ kind: 'removeInjection', id });
    await control({ kind: 'setLateDelivery', late: drill.lateBefore });
    const now = this.options.now();
    await this.options.store().end(drill.id, status, status === 'stopped' ? { at: now } : {});
    this.options.logger.info(`drill ${status}`, { drill: drill.id });
  }
}

/** The plan as steps in time order; every incident gets one step at its start. */
function stepsOf(plan: DrillPlan): Step[] {
  const steps: Step[] = [];
  const injected = new Set(plan.injections.map((i) => i.incident));
  const poisoned = new Set(plan.poison.map((p) => p.incident));
  for (const i of plan.injections)
    steps.push({ at: i.startsAt, kind: 'inject', incident: i.incident, spec: i.spec });
  for (const p of plan.poison)
    steps.push({ at: p.at, kind: 'poison', incident: p.incident, count: p.count });
  for (const incident of plan.incidents) {
    if (!injected.has(incident.index) && !poisoned.has(incident.index))
      steps.push({ at: incident.startsAt, kind: 'mark', incident: incident.index });
  }
  // Late stretches after the first (the drill starts with the setting it found).
  for (const stretch of plan.late) {
    steps.push({
      at: stretch.from,
      kind: 'late',
      late: stretch.late.fraction > 0 ? stretch.late : null,
    });
  }
  steps.push({ at: plan.endsAt, kind: 'end' });
  // Stable: at one instant, late settings first, then injections, poison and marks, the end last.
  const order = { late: 0, inject: 1, poison: 1, mark: 1, end: 2 } as const;
  return steps
    .map((step, i) => ({ step, i }))
    .sort((a, b) => a.step.at - b.step.at || order[a.step.kind] - order[b.step.kind] || a.i - b.i)
    .map(({ step }) => step);
}
