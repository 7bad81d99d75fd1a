/**
 * The main thread's handle on a pipeline worker: starts it, waits until it is ready, sends
 * requests and matches replies, keeps its latest status, and stops it cleanly (the worker drains
 * and closes its files) before terminating it as a last resort.
 */
import { Worker } from 'node:worker_threads';
import type { Logger } from '../logger';
import type { Command, RepliesOf } from '../protocol/commands';
import { WorkerError, type WorkerMessage, type WorkerRequest } from '../protocol/worker-messages';

/**
 * Each worker's young generation, at most. V8 sizes it from the machine's memory: on 24 GB it
 * committed 64-128 MB per worker, most of serve's RSS, with no gain in throughput (measured at
 * full load: 707k events/s with 16 MB, 667k with the default; docs/BENCHMARKS.md, the soak).
 */
export const WORKER_YOUNG_GENERATION_MB = 16;

export interface WorkerHostOptions {
  readonly name: string;
  /** The worker's built entry file (out/main/<name>.js). */
  readonly file: string;
  readonly workerData: unknown;
  readonly logger: Logger;
  /** How long stop() waits for a clean stop before terminating (default 15 s). */
  readonly stopTimeoutMs?: number;
}

export class WorkerHost<C extends Command, R extends RepliesOf<C>, S> {
  private readonly options: WorkerHostOptions;
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly waiting = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void }
  >();
  private latest: S | null = null;
  private stoppedSignal: (() => void) | null = null;
  private failure: Error | null = null;
  private readonly listeners = new Set<(status: S) => void>();

  constructor(options: WorkerHostOptions) {
    this.options = options;
  }

  /** The last status the worker pushed (null before the first). */
  get status(): S | null {
    return this.latest;
  }

  /** Why the worker died, if it did. */
  get error(): Error | null {
    return this.failure;
  }

  onStatus(listener: (status: S) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const worker = new Worker(this.options.file, {
        workerData: this.options.workerData,
        resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
      });
      this.worker = worker;
      let ready = false;
      worker.on('message', (message: WorkerMessage<S>) => {
        switch (message.type) {
          case 'ready':
            ready = true;
            resolve();
            break;
          case 'status':
            this.latest = message.status;
            for (const listener of this.listeners) listener(message.status);
            break;
          case 'reply': {
            const pending = this.waiting.get(message.id);
            this.waiting.delete(message.id);
            if (message.error) pending?.reject(new WorkerError(message.error));
            else pending?.resolve(message.result);
            break;
          }
          case 'stopped':
            this.stoppedSignal?.();
            break;
          case 'fatal':
            this.failure = new WorkerError(message.error);
            this.options.logger.error(`${this.options.name} worker failed`, {
              error: this.failure,
            });
            if (!ready) {
              reject(this.failure);
              // A worker that failed to start may still hold resources (a Kafka consumer in the
              // engine's group, a pool): end it.
              void worker.terminate();
            }
            break;
        }
      });
      worker.on('error', (err) => {
        this.failure = err;
        this.options.logger.error(`${this.options.name} worker crashed`, { error: err });
        if (!ready) reject(err);
      });
      worker.on('exit', (code) => {
        this.worker = null;
        for (const pending of this.waiting.values())
          pending.reject(new Error(`${this.options.name} worker exited (${code})`));
        this.waiting.clear();
        this.stoppedSignal?.();
        if (!ready)
          reject(
            this.failure ??
              new Error(`${this.options.name} worker exited before it was ready (${code})`),
          );
      });
    });
  }

  /** Sends a command; resolves with that command's reply (its type looked up by `kind`). */
  request<Cmd extends C>(command: Cmd): Promise<R[Cmd['kind']]> {
    const worker = this.worker;
    if (!worker)
      return Promise.reject(
        this.failure ?? new Error(`${this.options.name} worker is not running`),
      );
    const id = this.nextId++;
    return new Promise<R[Cmd['kind']]>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage({ type: 'request', id, command } satisfies WorkerRequest<C>);
    });
  }

  async stop(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    const stopped = new Promise<void>((resolve) => (this.stoppedSignal = resolve));
    worker.postMessage({ type: 'stop' } satisfies WorkerRequest<C>);
    const timeout = new Promise<'timeout'>((resolve) =>
      setTimeout(() => resolve('timeout'), this.options.stopTimeoutMs ?? 15_000).unref(),
    );
    if ((await Promise.race([stopped, timeout])) === 'timeout') {
      this.options.logger.warn(`${this.options.name} worker did not stop in time; terminating it`);
    }
    await worker.terminate();
  }
}
