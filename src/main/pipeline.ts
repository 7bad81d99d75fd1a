/**
 * The composition root of the running pipeline: generator → event log, paced on the wall clock,
 * with retention on a schedule. `serve` and the Electron app both run one.
 * (The engine, the store and the API join it in later issues.)
 */
import { DownloadEventGenerator } from './generator/download-event-generator';
import { EventProducer } from './generator/event-producer';
import type { EventLog, PartitionOffset } from './log/event-log';
import type { Logger } from './logger';
import { RateMeter } from './metrics/rate-meter';
import { Ticker } from './ticker';

export interface PipelineOptions {
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

export interface PipelineStatus {
  readonly startedAt: string;
  readonly seed: string;
  readonly paused: boolean;
  readonly generator: {
    readonly ratePerSecond: number;
    readonly eventsPerSecond: number;
    readonly produced: number;
    readonly bytes: number;
  };
  readonly log: {
    readonly topic: string;
    readonly partitioner: string;
    readonly partitions: ReadonlyArray<{ partition: number; produced: number; endOffset: number }>;
  };
}

export class Pipeline {
  readonly producer: EventProducer;
  private readonly options: PipelineOptions;
  private readonly now: () => number;
  private readonly meter = new RateMeter(5000);
  private readonly generateTicker: Ticker;
  private readonly retentionTicker: Ticker;
  private readonly flushTicker: Ticker;
  private endOffsets: readonly PartitionOffset[] = [];
  private startedAt = 0;
  private paused = false;

  constructor(options: PipelineOptions) {
    this.options = options;
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
    this.flushTicker = new Ticker(1000, () => options.log.flush(), onError);
  }

  async start(): Promise<void> {
    this.startedAt = this.now();
    this.endOffsets = await this.options.log.endOffsets();
    this.generateTicker.start();
    this.retentionTicker.start();
    this.flushTicker.start();
    this.options.logger.info('pipeline started', {
      seed: this.options.seed,
      ratePerSecond: this.producer.ratePerSecond,
      partitions: this.options.log.partitionCount,
    });
  }

  async stop(): Promise<void> {
    await this.generateTicker.stop();
    await this.retentionTicker.stop();
    await this.flushTicker.stop();
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    // Resume from now: a paused stretch is not made up for with a burst.
    this.producer.skipTo(this.now());
  }

  status(): PipelineStatus {
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
      log: {
        topic: this.options.log.topic,
        partitioner: this.options.log.partitioner,
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
    if (!this.paused && (await this.producer.tick(now)) > 0) {
      this.endOffsets = await this.options.log.endOffsets();
    }
    this.meter.record(now, this.producer.stats().produced);
  }

  private async enforceRetention(): Promise<void> {
    const result = await this.options.log.enforceRetention(this.now());
    if (result.deletedSegments > 0) {
      this.options.logger.info('retention deleted old log segments', {
        segments: result.deletedSegments,
        bytes: result.deletedBytes,
      });
    }
  }
}
