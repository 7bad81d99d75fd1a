/**
 * Drives the generator: asks the pacer which events are due, generates and encodes them in
 * batches and appends each batch to the event log. The clock is injected, so the same loop runs
 * on wall-clock time (`serve`) and on virtual time (`generate`, tests).
 */
import { DownloadEventCodec } from '../events/download-event-codec';
import { EventBatchEncoder } from '../events/event-batch-encoder';
import type { DownloadEvent } from '../events/download-event';
import type { EventLog } from '../log/event-log';
import { cachedPartitioner, partitionerFor } from '../log/partitioner';
import type { DownloadEventGenerator } from './download-event-generator';
import { RatePacer } from './rate-pacer';

/** Events per append: large enough to amortize the write, small enough to keep ticks short. */
export const DEFAULT_BATCH_SIZE = 10_000;

export interface ProducerStats {
  readonly produced: number;
  readonly bytes: number;
  readonly perPartition: readonly number[];
}

export interface VirtualRunOptions {
  /** Called after each batch with the number of events generated so far. */
  readonly onProgress?: (generated: number) => void;
  /** Events already in the log per partition (a resumed run): they are generated but not appended. */
  readonly skipPerPartition?: readonly number[];
}

export interface EventProducerOptions {
  readonly generator: DownloadEventGenerator;
  readonly log: EventLog;
  readonly ratePerSecond: number;
  /** Where the pacer starts (ms). */
  readonly startAt: number;
  readonly batchSize?: number;
  readonly codec?: DownloadEventCodec;
}

export class EventProducer {
  readonly generator: DownloadEventGenerator;
  private log: EventLog;
  private readonly pacer: RatePacer;
  private readonly encoder: EventBatchEncoder;
  private readonly batchSize: number;
  private produced = 0;
  private bytes = 0;
  private readonly perPartition: number[];

  constructor(options: EventProducerOptions) {
    this.generator = options.generator;
    this.log = options.log;
    this.pacer = new RatePacer(options.ratePerSecond, options.startAt);
    this.batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    this.encoder = new EventBatchEncoder(options.codec ?? new DownloadEventCodec(), this.batchSize);
    this.perPartition = new Array<number>(options.log.partitionCount).fill(0);
  }

  /** Appends to `log` from now on (switching logs: the caller stops ticking around it). */
  setLog(log: EventLog): void {
    if (log.partitionCount !== this.log.partitionCount) {
      throw new Error(
        `the new log has ${log.partitionCount} partitions and the current one ${this.log.partitionCount}`,
      );
    }
    this.log = log;
  }

  get ratePerSecond(): number {
    return this.pacer.ratePerSecond;
  }

  setRate(ratePerSecond: number, now: number): void {
    this.pacer.setRate(ratePerSecond, now);
  }

  /** Nothing is made up for the time before `now` (a pause). */
  skipTo(now: number): void {
    this.pacer.skipTo(now);
  }

  stats(): ProducerStats {
    return { produced: this.produced, bytes: this.bytes, perPartition: [...this.perPartition] };
  }

  /**
   * Generates and appends every event due by `now`, batch by batch, while `keepGoing()` says so.
   * Returns how many.
   */
  async tick(now: number, keepGoing: () => boolean = () => true): Promise<number> {
    let total = 0;
    for (;;) {
      const due = this.pacer.take(now, this.batchSize);
      if (due.count === 0) break;
      await this.appendGenerated(due.count, due.firstAt, due.intervalMs);
      total += due.count;
      if (due.count < this.batchSize) break;
      // The embedded log appends without waiting on anything, so a full-rate tick (a second's
      // backlog: millions of events) never gave the event loop a turn: the worker's messages
      // (status, controls, where this run began) waited for the whole of it, minutes at times.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (!keepGoing()) break;
    }
    return total;
  }

  /**
   * Virtual time: `count` events at `ratePerSecond` from `startAt`, as fast as the machine goes.
   */
  async produceVirtual(
    count: number,
    startAt: number,
    ratePerSecond: number,
    options: VirtualRunOptions = {},
  ): Promise<void> {
    const intervalMs = 1000 / RatePacer.validRate(ratePerSecond);
    const skip = options.skipPerPartition ? [...options.skipPerPartition] : null;
    const partitionOf = cachedPartitioner(
      partitionerFor(this.log.partitioner),
      this.log.partitionCount,
    );
    // Resuming: the sequence is regenerated and, per partition, the events already in the log skipped.
    const add = skip
      ? (event: DownloadEvent): void => {
          const partition = partitionOf(event.region);
          if (skip[partition]! > 0) skip[partition]! -= 1;
          else this.encoder.add(event);
        }
      : this.encoder.add;
    for (let done = 0; done < count;) {
      const n = Math.min(this.batchSize, count - done);
      await this.appendGenerated(n, startAt + done * intervalMs, intervalMs, add);
      done += n;
      options.onProgress?.(done);
      // The embedded log appends without a turn of the event loop: give signals (Ctrl-C) and
      // timers theirs, once a batch.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  private async appendGenerated(
    count: number,
    firstAt: number,
    intervalMs: number,
    add: (event: DownloadEvent) => void = this.encoder.add,
  ): Promise<void> {
    this.generator.generate(count, firstAt, intervalMs, add);
    const batch = this.encoder.finish();
    if (batch.count === 0) return;
    const ranges = await this.log.append(batch);
    for (const range of ranges) this.perPartition[range.partition]! += range.count;
    this.produced += batch.count;
    this.bytes += batch.values.length;
  }
}
