/**
 * What the main thread asks the pipeline's workers, and what each request answers: one place for
 * the generator's and the engine's commands, their replies (typed per command, so no caller
 * guesses) and the data each worker starts with. Types only: the worker entries, the runtime, the
 * API and the drills all import from here, and it imports nothing that runs.
 */
import type { HistoryStatus } from '../../shared/api-contract';
import type { OutcomeMix } from '../../shared/domain';
import type { EngineConfig } from '../engine/engine-config';
import type { LateDelivery } from '../generator/download-event-generator';
import type { Injection, InjectionSpec } from '../generator/failure-injection';
import type { GeneratorControls } from '../generator/generator-service';
import type { PartitionOffset } from '../log/event-log';
import type { LogBackend } from '../log/open-event-log';
import type { PostgresConnectionInput } from '../store/postgres-connection';

/** A command is a tagged object; its reply type is looked up by its `kind`. */
export interface Command {
  readonly kind: string;
}

/** A table of reply types, one per command kind. */
export type RepliesOf<C extends Command> = { readonly [K in C['kind']]: unknown };

/** The worker side: one handler per command kind, each answering that command's reply type. */
export type CommandHandlers<C extends Command, R extends RepliesOf<C>> = {
  readonly [K in C['kind']]: (command: Extract<C, { kind: K }>) => R[K] | Promise<R[K]>;
};

// ---- The generator worker ----

export interface GeneratorWorkerData {
  readonly log: LogBackend;
  readonly seed: string;
  readonly ratePerSecond: number;
  readonly late?: LateDelivery;
}

export type GeneratorCommand =
  | { readonly kind: 'setRate'; readonly ratePerSecond: number }
  | { readonly kind: 'setOutcomeMix'; readonly mix: OutcomeMix }
  | { readonly kind: 'setLateDelivery'; readonly late: LateDelivery }
  | { readonly kind: 'inject'; readonly spec: InjectionSpec }
  | { readonly kind: 'clearInjections' }
  | { readonly kind: 'removeInjection'; readonly id: string }
  | { readonly kind: 'appendPoison'; readonly count: number }
  | { readonly kind: 'pause' }
  | { readonly kind: 'resume' }
  | { readonly kind: 'controls' }
  // Switching logs: stop writing and close the current log; open another and say where it ends;
  // then produce again. The pipeline runs the engine's switch between the last two.
  | { readonly kind: 'detachLog' }
  | { readonly kind: 'attachLog'; readonly log: LogBackend }
  | { readonly kind: 'resumeProducing' }
  | { readonly kind: 'runStartOffsets' };

export interface GeneratorReplies {
  readonly setRate: void;
  readonly setOutcomeMix: void;
  readonly setLateDelivery: void;
  readonly inject: Injection;
  readonly clearInjections: void;
  /** Whether an injection with that id was active. */
  readonly removeInjection: boolean;
  readonly appendPoison: void;
  readonly pause: void;
  readonly resume: void;
  readonly controls: GeneratorControls;
  /** Where the old log ends, per partition: the engine reads it up to there before switching. */
  readonly detachLog: readonly PartitionOffset[];
  /** Where the new log ends, per partition: the generator's writes begin there. */
  readonly attachLog: readonly PartitionOffset[];
  readonly resumeProducing: void;
  readonly runStartOffsets: readonly PartitionOffset[];
}

/** A generator command's reply. */
export type GeneratorReply<C extends GeneratorCommand> = GeneratorReplies[C['kind']];

// ---- The engine worker ----

export interface EngineWorkerData {
  readonly log: LogBackend;
  /** The database (URL, password, CA): plain data for the worker, never logged. */
  readonly database: PostgresConnectionInput;
  readonly config: EngineConfig;
  readonly groupId: string;
  /** Where this run began writing to the log (see EngineRunnerOptions.runStartOffsets). */
  readonly runStartOffsets?: readonly PartitionOffset[];
}

export type EngineCommand =
  | { readonly kind: 'replay'; readonly from: number }
  | {
      readonly kind: 'switchLog';
      readonly log: LogBackend;
      /** Where the generator stopped writing to the old log: read up to there first. */
      readonly drainTo: readonly PartitionOffset[];
      /** Where the generator starts writing to the new log. */
      readonly startOffsets: readonly PartitionOffset[];
    }
  | { readonly kind: 'generateHistory'; readonly hours: number; readonly ratePerSecond: number };

export interface ReplayProgress {
  /** Start of the first recomputed window. */
  readonly from: number;
  /** 0..1 of the records to re-read. */
  readonly progress: number;
}

export interface EngineReplies {
  readonly replay: ReplayProgress;
  readonly switchLog: void;
  readonly generateHistory: HistoryStatus;
}
