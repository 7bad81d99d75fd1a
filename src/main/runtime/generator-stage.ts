/**
 * The generator stage of the pipeline: the generator worker (generator → event log) and the
 * per-partition produced rates measured from its status pushes.
 */
import { join } from 'node:path';
import type { LateDelivery } from '../generator/download-event-generator';
import type { LogBackend } from '../log/open-event-log';
import type { Logger } from '../logger';
import { RateMeter } from '../metrics/rate-meter';
import type {
  GeneratorCommand,
  GeneratorReplies,
  GeneratorReply,
  GeneratorWorkerData,
} from '../protocol/commands';
import type { GeneratorStatus } from '../protocol/statuses';
import { WorkerHost } from './worker-host';

export class GeneratorStage {
  private readonly worker: WorkerHost<GeneratorCommand, GeneratorReplies, GeneratorStatus>;
  private meters: RateMeter[] = [];

  constructor(options: {
    readonly log: LogBackend;
    readonly seed: string;
    readonly ratePerSecond: number;
    readonly late?: LateDelivery | undefined;
    readonly workersDir: string;
    readonly logger: Logger;
  }) {
    this.worker = new WorkerHost<GeneratorCommand, GeneratorReplies, GeneratorStatus>({
      name: 'generator',
      file: join(options.workersDir, 'generator-worker.js'),
      workerData: {
        log: options.log,
        seed: options.seed,
        ratePerSecond: options.ratePerSecond,
        ...(options.late ? { late: options.late } : {}),
      } satisfies GeneratorWorkerData,
      logger: options.logger,
    });
  }

  async start(): Promise<void> {
    await this.worker.start();
    this.worker.onStatus((status) => {
      const now = Date.now();
      status.log.partitions.forEach((p) => {
        this.meters[p.partition] ??= new RateMeter(5000);
        this.meters[p.partition]!.record(now, p.produced);
      });
    });
  }

  request<C extends GeneratorCommand>(command: C): Promise<GeneratorReply<C>> {
    return this.worker.request(command);
  }

  get status(): GeneratorStatus | null {
    return this.worker.status;
  }

  /** Produced events/s per partition over the last 5 s. */
  partitionRates(): number[] {
    return this.meters.map((meter) => meter.perSecond());
  }

  /** Another log: its partitions start afresh. */
  resetRates(): void {
    this.meters = [];
  }

  stop(): Promise<void> {
    return this.worker.stop();
  }
}
