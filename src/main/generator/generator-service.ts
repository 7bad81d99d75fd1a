/**
 * The live generator: events paced on the wall clock into the event log, with controls that apply
 * at once (rate, outcome mix, injections, pause), log retention on a schedule and a periodic flush.
 * It runs in the generator worker; the main thread drives it by messages.
 */
import type { OutcomeMix } from '../../shared/domain';
import type { EventLog, PartitionOffset } from '../log/event-log';
import type { Logger } from '../logger';
import { RateMeter } from '../metrics/rate-meter';
import { Ticker } from '../ticker';
import { DownloadEventGenerator, type LateDelivery } from './download-event-generator';
import { EventProducer } from './event-producer';
import type { Injection, InjectionSpec } from './failure-injection';
import { poisonRecords } from './poison-records';

export interface GeneratorServiceOptions {
  readonly log: EventLog;
  readonly seed: string;
  readonly ratePerSecond: number;
  readonly logger: Logger;
  readonly now?: () => number;
  /** How often due events are generated (default 100 ms). */
  readonly tickMs?: number;
  /** How often retention runs (default 5 minutes). */
  readonly retentionEveryMs?: number;
}

/** What the user can change while it runs, as it is now. */
export interface GeneratorControls {
  readonly ratePerSecond: number;
  readonly outcomeMix: OutcomeMix;
  readonly late: LateDelivery;
  readonly injections: readonly Injection[];
  readonly paused: boolean;
}

export interface GeneratorStatus {
  readonly startedAt: string;
  readonly seed: string;
  readonly paused: boolean;
  readonly generator: {
    readonly ratePerSecond: number;
    readonly eventsPerSecond: number;
    readonly produced: number;
    readonly bytes: number;
  };
  readonly controls: GeneratorControls;
  readonly log: {
    readonly topic: string;
    readonly partitioner: string;
    readonly partitions: ReadonlyArray<{ partition: number; produced: number; endOffset: number }>;
  };
}

export class GeneratorService {
  readonly producer: EventProducer;
  private readonly options: GeneratorServiceOptions;
  private readonly now: () => number;
  private readonly meter = new RateMeter(5000);
  private readonly generateTicker: Ticker;
  private readonly retentionTicker: Ticker;
  private readonly flushTicker: Ticker;
  private log: EventLog;
  private runStart: readonly PartitionOffset[] = [];
  private endOffsets: readonly PartitionOffset[] = [];
  private startedAt = 0;
  private paused = false;
  /** Set by pause() at once: no tick generates from then on (`paused` follows once idle). */
  private holding = false;
  /** Set by stop() at once, until production starts again. */
  private stopping = false;

  constructor(options: GeneratorServiceOptions) {
    this.options = options;
    this.log = options.log;
    this.now = options.now ?? Date.now;
    const generator = new DownloadEventGenerator({ seed: options.seed });
    this.producer = new EventProducer({
      generator,
      log: options.log,
      ratePerSecond: options.ratePerSecond,
      startAt: this.now(),
    });
    const onError = (err: unknown): void =>
      options.logger.error('pipeline step failed', { error: err });
    this.generateTicker = new Ticker(options.tickMs ?? 100, () => this.generateDue(), onError);
    this.retentionTicker = new Ticker(
      options.retentionEveryMs ?? 300_000,
      () => this.enforceRetention(),
      onError,
    );
    // The log syncs on append; at a low rate an idle second must not leave data unsynced.
    this.flushTicker = new Ticker(1000, () => this.log.flush(), onError);
  }

  async start(): Promise<void> {
    this.stopping = false;
    this.startedAt = this.now();
    this.endOffsets = await this.log.endOffsets();
    this.runStart = this.endOffsets;
    this.generateTicker.start();
    this.retentionTicker.start();
    this.flushTicker.start();
    this.options.logger.info('pipeline started', {
      seed: this.options.seed,
      ratePerSecond: this.producer.ratePerSecond,
      partitions: this.log.partitionCount,
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.generateTicker.stop();
    await this.retentionTicker.stop();
    await this.flushTicker.stop();
  }

  /**
   * Stops writing to the current log (everything appended is flushed) and returns it, so the
   * caller can close it; the controls (rate, mix, injections, pause) stay as they are.
   */
  async detachLog(): Promise<{ log: EventLog; ends: readonly PartitionOffset[] }> {
    await this.stop();
    await this.log.flush();
    return { log: this.log, ends: await this.log.endOffsets() };
  }

  /** Where this run began writing to the current log (its end offsets at start or attach). */
  runStartOffsets(): readonly PartitionOffset[] {
    return this.runStart;
  }

  /**
   * Writes to `log` from now on. Does not start producing (see resumeProducing), so the caller can
   * read the new log's end offsets first: the engine starts reading it there.
   */
  async attachLog(log: EventLog): Promise<readonly PartitionOffset[]> {
    this.producer.setLog(log);
    this.log = log;
    this.endOffsets = await log.endOffsets();
    this.runStart = this.endOffsets;
    return this.endOffsets;
  }

  /** Produces again after attachLog; the time spent switching is not made up for with a burst. */
  resumeProducing(): void {
    this.stopping = false;
    this.producer.skipTo(this.now());
    this.generateTicker.start();
    this.retentionTicker.start();
    this.flushTicker.start();
  }

  /**
   * Stops generating. Resolves once the batch being appended (if any) is in the log, so from then
   * on, and in every status that says paused, the produced counts are final.
   */
  async pause(): Promise<void> {
    this.holding = true;
    await this.generateTicker.idle();
    this.paused = true;
  }

  resume(): void {
    if (!this.holding) return;
    this.holding = false;
    this.paused = false;
    // Resume from now: a paused stretch is not made up for with a burst.
    this.producer.skipTo(this.now());
  }

  setRate(ratePerSecond: number): void {
    this.producer.setRate(ratePerSecond, this.now());
  }

  setOutcomeMix(mix: OutcomeMix): void {
    this.producer.generator.setOutcomeMix(mix);
  }

  setLateDelivery(late: LateDelivery): void {
    this.producer.generator.setLateDelivery(late);
  }

  inject(spec: InjectionSpec): Injection {
    return this.producer.generator.inject(spec, this.now());
  }

  clearInjections(): void {
    this.producer.generator.clearInjections();
  }

  removeInjection(id: string): boolean {
    return this.producer.generator.removeInjection(id);
  }

  /** Writes `count` undecodable records now (a drill's poison), and makes them durable. */
  async appendPoison(count: number): Promise<void> {
    await this.log.append(poisonRecords(count, this.now()));
    await this.log.flush();
  }

  controls(): GeneratorControls {
    const generator = this.producer.generator;
    return {
      ratePerSecond: this.producer.ratePerSecond,
      outcomeMix: generator.outcomeMix,
      late: generator.lateDelivery,
      injections: generator.activeInjections(this.now()),
      paused: this.paused,
    };
  }

  status(): GeneratorStatus {
    const stats = this.producer.stats();
    return {
      startedAt: new Date(this.startedAt).toISOString(),
      seed: this.options.seed,
      paused: this.paused,
      generator: {
        ratePerSecond: this.producer.ratePerSecond,
        eventsPerSecond: this.meter.perSecond(),
        produced: stats.produced,
        bytes: stats.bytes,
      },
      controls: this.controls(),
      log: {
        topic: this.log.topic,
        partitioner: this.log.partitioner,
        partitions: this.endOffsets.map(({ partition, offset }) => ({
          partition,
          produced: stats.perPartition[partition] ?? 0,
          endOffset: offset,
        })),
      },
    };
  }

  private async generateDue(): Promise<void> {
    const now = this.now();
    // A pause or a stop (a log switch) ends a long tick at the next batch, not after it.
    const keepGoing = () => !this.holding && !this.stopping;
    if (!this.holding && (await this.producer.tick(now, keepGoing)) > 0) {
      this.endOffsets = await this.log.endOffsets();
    }
    this.meter.record(now, this.producer.stats().produced);
  }

  private async enforceRetention(): Promise<void> {
    const result = await this.log.enforceRetention(this.now());
    if (result.deletedSegments > 0) {
      this.options.logger.info('retention deleted old log segments', {
        segments: result.deletedSegments,
        bytes: result.deletedBytes,
      });
    }
  }
}
